"""The dashboard: messages, people reached, topics, unanswered questions and cases, with charts.

Rules:
- Analysts see every count with small counts suppressed (admin.smallcounts); admins see exact
  counts on screen. Any export is suppressed, whoever asks for it.
- Figures only: no case, message or question text appears here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from admin import audit, charts, stats
from admin.labels import CATEGORIES, COUNTRIES, FOLLOWUPS, LANGUAGES, OUTCOMES, label
from admin.smallcounts import Cell, breakdown, number, statistic
from admin.web import allow, user
from bot.storage.db import get_session

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
PERIODS = (7, 30, 90, 365)


@dataclass
class Table:
    """One breakdown: its key, title, the cells as shown and a chart of them."""

    key: str
    title: str
    cells: list[Cell]
    chart: Markup = field(default_factory=Markup)


def period_from(args: dict[str, str]) -> stats.Period:
    """The period and country asked for in the query string (last 90 days by default)."""
    country = args.get("country") if args.get("country") in COUNTRIES else None
    try:
        start = date.fromisoformat(args.get("from", ""))
        end = date.fromisoformat(args.get("to", ""))
    except ValueError:
        days = int(args["days"]) if args.get("days", "").isdigit() else 90
        return stats.Period.last_days(min(max(days, 1), 3660), country)
    start_at = datetime.combine(min(start, end), datetime.min.time(), UTC)
    end_at = datetime.combine(max(start, end) + timedelta(days=1), datetime.min.time(), UTC)
    return stats.Period(start_at, end_at, country)


def _table(key: str, title: str, rows: list[tuple[str, int]], names: Mapping[str, object] | None,
           suppress: bool) -> Table:
    cells = breakdown([(code, label(names, code) if names else code, n) for code, n in rows],
                      suppress)
    chart = charts.bars([charts.Bar(c.label, c.value, c.text) for c in cells], title)
    return Table(key, title, cells, chart)


def build(period: stats.Period, suppress: bool) -> dict[str, object]:
    """Every figure of the dashboard for one period, suppressed or not."""
    db = get_session()
    counts = stats.messages(db, period)
    weekly = stats.messages_by_week(db, period)
    facts = stats.cases(db, period)
    case_weeks = stats.cases_by_week(facts, period)
    ack = stats.ack_times(facts, int(current_app.config.get("ACK_MINUTES", 30)))
    closed = [f for f in facts if f.status == "closed"]
    unanswered = stats.unanswered_by_lang(db, period)
    week_labels = [w.strftime("%m-%d") for w in period.weeks()]
    msg_in = breakdown([(str(w), "", i) for w, i, _ in weekly], suppress)
    msg_out = breakdown([(str(w), "", o) for w, _, o in weekly], suppress)
    case_cells = breakdown([(str(w), w.strftime("%Y-%m-%d"), n) for w, n in case_weeks], suppress)
    tables = [
        _table("topics", _("Topics asked"), stats.topics_asked(db, period), None, suppress),
        _table("unanswered", _("Unanswered questions by language"), unanswered, LANGUAGES,
               suppress),
        _table("country", _("Reports by country"), stats.count_by(facts, "country"), COUNTRIES,
               suppress),
        _table("category", _("Reports by category"), stats.count_by(facts, "category"),
               CATEGORIES, suppress),
        _table("lang", _("Reports by language"), stats.count_by(facts, "lang"), LANGUAGES,
               suppress),
        _table("outcome", _("Outcomes of closed cases"), stats.count_by(closed, "outcome"),
               OUTCOMES, suppress),
        _table("followup", _("Follow-up answers"), stats.count_by(facts, "followup_state"),
               FOLLOWUPS, suppress),
    ]
    return {
        "period": period,
        "totals": {
            "in": number(counts["in"], suppress),
            "out": number(counts["out"], suppress),
            "users": number(stats.users_reached(db, period), suppress),
            "unanswered": number(sum(n for _, n in unanswered), suppress),
            "cases": number(len(facts), suppress),
            "urgent": number(sum(1 for f in facts if f.urgent), suppress),
        },
        "messages_chart": charts.columns(
            week_labels,
            [(_("In"), [c.value for c in msg_in]), (_("Out"), [c.value for c in msg_out])],
            _("Messages in and out by week"),
        ),
        "messages_weeks": list(zip(week_labels, msg_in, msg_out, strict=True)),
        "cases_chart": charts.columns(week_labels, [(_("Reports"), [c.value for c in case_cells])],
                                      _("Reports by week")),
        "case_weeks": case_cells,
        "ack": {
            "sample": number(ack.sample, suppress),
            "median": statistic(ack.median, ack.sample, suppress),
            "p90": statistic(ack.p90, ack.sample, suppress),
            "urgent_median": statistic(ack.urgent_median, ack.urgent_sample, suppress),
            "within_sla": number(ack.within_sla, suppress),
            "urgent_sample": number(ack.urgent_sample, suppress),
        },
        "tables": tables,
    }


@bp.get("/")
@allow("admin", "analyst")
def index():  # type: ignore[no-untyped-def]
    """The figures for the chosen period and country, as charts and tables."""
    period = period_from(request.args)
    board = build(period, suppress=user().role != "admin")
    return render_template("admin/dashboard.html", board=board, periods=PERIODS,
                           countries=COUNTRIES, args=request.args)


@bp.get("/export.csv")
@allow("admin", "analyst")
def export():  # type: ignore[no-untyped-def]
    """Every table of the dashboard as CSV, small counts always suppressed."""
    period = period_from(request.args)
    board = build(period, suppress=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "code", "label", "count"])
    writer.writerow(["period", "", f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}",
                     period.country or "all"])
    for key, text in board["totals"].items():  # type: ignore[attr-defined]
        writer.writerow(["totals", key, "", text])
    for week, cell_in, cell_out in board["messages_weeks"]:  # type: ignore[attr-defined]
        writer.writerow(["messages_in_by_week", week, "", cell_in.text])
        writer.writerow(["messages_out_by_week", week, "", cell_out.text])
    for cell in board["case_weeks"]:  # type: ignore[attr-defined]
        writer.writerow(["reports_by_week", cell.code, "", cell.text])
    for table in board["tables"]:  # type: ignore[attr-defined]
        for cell in table.cells:
            writer.writerow([table.key, cell.code, cell.label, cell.text])
    audit.record("dashboard.export", "dashboard", None,
                 detail={"from": f"{period.start:%Y-%m-%d}", "country": period.country})
    get_session().commit()
    name = f"helpline-figures-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
