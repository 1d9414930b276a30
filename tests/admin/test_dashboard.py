"""The dashboard's figures, charts and small-count suppression (analysts and every export)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Flask

from admin.charts import Bar, bars, columns
from admin.smallcounts import HIDDEN, breakdown, number, statistic
from bot.storage.db import transaction
from bot.storage.models import Contact, Interaction, Message, utcnow
from tests.admin.conftest import Accounts, logged_in, make_case


def test_counts_from_one_to_four_are_hidden() -> None:
    assert [number(n, True) for n in (0, 1, 4, 5, 12)] == ["0", HIDDEN, HIDDEN, "5", "12"]
    assert number(3, False) == "3"


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it() -> None:
    cells = breakdown([("TH", "Thailand", 20), ("MY", "Malaysia", 7), ("KH", "Cambodia", 2)],
                      True)
    assert [c.text for c in cells] == ["20", HIDDEN, HIDDEN]  # 7 would reveal the 2 from a total
    two_hidden = breakdown([("a", "a", 9), ("b", "b", 1), ("c", "c", 3)], True)
    assert [c.text for c in two_hidden] == ["9", HIDDEN, HIDDEN]
    assert [c.value for c in breakdown([("a", "a", 1)], False)] == [1]


def test_averages_over_fewer_than_five_cases_are_not_shown() -> None:
    assert statistic(12.0, 4, True) is None
    assert statistic(12.0, 5, True) == 12.0
    assert statistic(12.0, 1, False) == 12.0


def test_charts_are_inline_svg_with_a_title_and_no_bar_for_hidden_counts() -> None:
    svg = str(bars([Bar("Thailand", 10, "10"), Bar("<script>", None, HIDDEN)], "Reports"))
    assert svg.startswith("<svg") and "<title" in svg and "Reports" in svg
    assert svg.count("<rect") == 1 and "&lt;script&gt;" in svg and "&lt;5" in svg
    weekly = str(columns(["11-17", "11-24"], [("In", [3, None]), ("Out", [2, 4])], "Messages"))
    assert weekly.count("<rect") == 3 + 2  # three bars, two legend swatches


def _traffic(app: Flask) -> None:
    now = utcnow() - timedelta(hours=1)
    with transaction(app) as db:
        th = [Contact(pseudonym=f"th{i}", channel="sms", country="TH") for i in range(7)]
        my = [Contact(pseudonym=f"my{i}", channel="telegram", country="MY") for i in range(2)]
        db.add_all(th + my)
        db.flush()
        for contact in th + my:
            db.add(Message(contact_id=contact.id, direction="in", channel="sms", created_at=now))
            db.add(Message(contact_id=contact.id, direction="out", channel="sms", created_at=now))
        for _ in range(6):
            db.add(Interaction(kind="topic", slug="unpaid-wages", lang="my", country="TH",
                               created_at=now))
        db.add(Interaction(kind="topic", slug="documents", lang="km", country="MY",
                           created_at=now))
        db.add(Interaction(kind="unanswered", lang="my", country="TH", text="where is my pay",
                           created_at=now))


def test_admin_sees_exact_counts_and_the_analyst_sees_suppressed_ones(
    app: Flask, accounts: Accounts
) -> None:
    _traffic(app)
    for _ in range(6):
        make_case(app, accounts.partner_a, country="TH", category="unpaid-wages")
    make_case(app, accounts.partner_b, country="MY", category="forced-labour", urgent=True)
    admin = logged_in(app, accounts.emails["admin"]).get("/admin/dashboard/")
    analyst = logged_in(app, accounts.emails["analyst"]).get("/admin/dashboard/")
    assert admin.status_code == analyst.status_code == 200
    exact, hidden = admin.get_data(as_text=True), analyst.get_data(as_text=True)
    assert "<dt>People reached</dt><dd>9</dd>" in exact
    assert "<dt>Reports</dt><dd>7 (urgent: 1)</dd>" in exact
    assert "<dt>Reports</dt><dd>7 (urgent: &lt;5)</dd>" in hidden
    assert "<svg" in hidden and "&lt;5" in hidden
    assert "where is my pay" not in hidden and "where is my pay" not in exact  # counts only


def test_country_filter(app: Flask, accounts: Accounts) -> None:
    _traffic(app)
    page = logged_in(app, accounts.emails["admin"]).get("/admin/dashboard/?country=MY&days=30")
    assert "<dt>People reached</dt><dd>2</dd>" in page.get_data(as_text=True)


def test_every_export_is_suppressed_even_for_admins(app: Flask, accounts: Accounts) -> None:
    _traffic(app)
    make_case(app, accounts.partner_a)
    response = logged_in(app, accounts.emails["admin"]).get("/admin/dashboard/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    counts = [row[3] for row in rows[2:]]
    assert HIDDEN in counts
    assert not any(c.isdigit() and 0 < int(c) < 5 for c in counts)
    totals = {row[1]: row[3] for row in rows if row[0] == "totals"}
    assert totals["users"] == "9" and totals["cases"] == HIDDEN
