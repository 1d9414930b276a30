"""A partner's own cases as CSV, with nothing that identifies or locates a person.

Rules:
- Only the account's scoped cases (admin.cases.scoped), one row per case.
- Left out: the description and notes (free text, even redacted), the province, the contact,
  relay messages and the time of day (dates only).
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, request

from admin import audit
from admin.cases import filtered, inbox_order, scoped
from admin.web import allow, user
from bot.storage.db import get_session

bp = Blueprint("case_export", __name__, url_prefix="/cases")
COLUMNS = (
    "code", "reported_on", "status", "outcome", "urgent", "category", "country", "lang",
    "channel", "age_group", "people", "for_self", "acknowledged_on", "closed_on", "followup",
)  # fmt: skip


def _day(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%Y-%m-%d") if moment else ""


@bp.get("/export.csv")
@allow("partner", "admin")
def export():  # type: ignore[no-untyped-def]
    """The cases the inbox shows with the same filters (all statuses by default)."""
    args = {k: request.args.get(k, "") for k in ("status", "urgency", "country", "category",
                                                   "lang")}
    args["status"] = args["status"] or "all"
    rows = get_session().scalars(inbox_order(filtered(scoped(user()), args))).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in rows:
        writer.writerow([
            c.code, _day(c.created_at), c.status, c.outcome or "", "yes" if c.urgent else "no",
            c.category or "", c.country or "", c.lang or "", c.channel or "", c.age_group or "",
            c.people or "", "" if c.for_self is None else ("yes" if c.for_self else "no"),
            _day(c.acknowledged_at), _day(c.closed_at), c.followup_state or "",
        ])
    audit.record("case.export", "cases", None, detail={"rows": len(rows), **args})
    get_session().commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="cases.csv"'})
