"""The partners' inbox and case page: order, filters, SLA clock, actions, audit, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from bot.storage.db import transaction
from bot.storage.models import AuditEntry, Case, CaseMessage, OutboxMessage, utcnow
from tests.admin.conftest import Accounts, logged_in, make_case, post


def _codes_in(page: str, codes: list[str]) -> list[str]:
    return sorted(codes, key=page.index)


def test_inbox_puts_waiting_urgent_cases_first_then_newest(app: Flask, accounts: Accounts) -> None:
    now = utcnow()
    old = make_case(app, accounts.partner_a, created_at=now - timedelta(days=2))
    new = make_case(app, accounts.partner_a, created_at=now - timedelta(minutes=5))
    urgent_acked = make_case(app, accounts.partner_a, urgent=True, acknowledged_at=now,
                             created_at=now - timedelta(days=3), status="acknowledged")
    urgent = make_case(app, accounts.partner_a, urgent=True, created_at=now - timedelta(days=1),
                       ack_due_at=now + timedelta(minutes=20))
    late = make_case(app, accounts.partner_a, urgent=True, created_at=now - timedelta(hours=5),
                     ack_due_at=now - timedelta(minutes=30))
    page = logged_in(app, accounts.emails["partner"]).get("/admin/cases/").get_data(as_text=True)
    assert _codes_in(page, [old, new, urgent_acked, urgent, late]) == [
        late, urgent, urgent_acked, new, old]
    assert "19 min left to acknowledge" in page or "20 min left to acknowledge" in page
    assert "acknowledgement 30 min late" in page or "acknowledgement 29 min late" in page


def test_inbox_filters(app: Flask, accounts: Accounts) -> None:
    th = make_case(app, accounts.partner_a, country="TH", category="unpaid-wages", lang="my")
    my = make_case(app, accounts.partner_a, country="MY", category="forced-labour", lang="km",
                   urgent=True)
    closed = make_case(app, accounts.partner_a, status="closed", outcome="safe")
    client = logged_in(app, accounts.emails["partner"])

    def shown(query: str) -> set[str]:
        page = client.get(f"/admin/cases/?{query}").get_data(as_text=True)
        return {c for c in (th, my, closed) if c in page}

    assert shown("") == {th, my}
    assert shown("status=all") == {th, my, closed}
    assert shown("status=closed") == {closed}
    assert shown("urgency=urgent") == {my}
    assert shown("country=TH") == {th}
    assert shown("category=forced-labour") == {my}
    assert shown("lang=my") == {th}


def test_viewing_a_case_is_audited(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a, description="the boss kept the passport")
    page = logged_in(app, accounts.emails["partner"]).get(f"/admin/cases/{code}")
    assert "the boss kept the passport" in page.get_data(as_text=True)
    with transaction(app) as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "case.view"))
        assert entry is not None
        assert (entry.actor, entry.target_type, entry.target_id) == (
            accounts.emails["partner"], "case", code)


def test_partner_acknowledges_relays_and_sees_the_answer(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a, reachable=True, urgent=True,
                     ack_due_at=utcnow() + timedelta(minutes=10))
    client = logged_in(app, accounts.emails["partner"])
    assert post(client, f"/admin/cases/{code}/acknowledge").status_code == 303
    sent = post(client, f"/admin/cases/{code}/relay", {"text": "We can help. Are you safe?"})
    assert sent.status_code == 303
    with transaction(app) as db:
        case = db.scalar(select(Case).where(Case.code == code))
        assert case.acknowledged_at is not None and case.status == "in_progress"
        assert case.relay_open
        assert db.scalar(select(OutboxMessage)) is not None  # queued to the reporter's channel
        case.messages.append(CaseMessage(kind="from_reporter", author="reporter",
                                         body="yes I am safe now"))
        actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.target_id == code)))
    assert {"case.acknowledge", "case.relay"} <= actions
    page = client.get(f"/admin/cases/{code}").get_data(as_text=True)
    assert "We can help. Are you safe?" in page and "yes I am safe now" in page
    assert "+66800000001" not in page  # the reporter's number is never shown


def test_relay_is_refused_without_consent(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a, reachable=False)
    client = logged_in(app, accounts.emails["partner"])
    response = post(client, f"/admin/cases/{code}/relay", {"text": "hello"}, follow_redirects=True)
    assert "Not done" in response.get_data(as_text=True)
    with transaction(app) as db:
        assert db.scalar(select(CaseMessage)) is None


def test_referral_hands_the_case_to_the_other_partner(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a)
    alpha = logged_in(app, accounts.emails["partner"])
    moved = post(alpha, f"/admin/cases/{code}/refer", {"partner_id": accounts.partner_b})
    assert moved.status_code == 303 and moved.location == "/admin/cases/"
    assert alpha.get(f"/admin/cases/{code}").status_code == 404
    beta = logged_in(app, accounts.emails["partner_b"])
    assert beta.get(f"/admin/cases/{code}").status_code == 200


def test_status_outcome_and_note(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a)
    client = logged_in(app, accounts.emails["partner"])
    post(client, f"/admin/cases/{code}/status", {"status": "in_progress"})
    post(client, f"/admin/cases/{code}/note", {"text": "called the labour office"})
    post(client, f"/admin/cases/{code}/close", {"outcome": "assisted_in_place"})
    with transaction(app) as db:
        case = db.scalar(select(Case).where(Case.code == code))
        assert (case.status, case.outcome) == ("closed", "assisted_in_place")
        assert [m.kind for m in case.messages] == ["note"]


def test_csv_export_has_no_identifying_data(app: Flask, accounts: Accounts) -> None:
    code = make_case(app, accounts.partner_a, reachable=True,
                     description="my name is Somchai at 12 Road", province="Mae Sot")
    make_case(app, accounts.partner_b)
    response = logged_in(app, accounts.emails["partner"]).get("/admin/cases/export.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == [code]
    assert "Somchai" not in text and "Mae Sot" not in text and "+66" not in text
    assert set(rows[0]) >= {"reported_on", "status", "category", "country", "urgent"}
    assert not set(rows[0]) & {"description", "province", "contact_id"}
    assert len(rows[0]["reported_on"]) == 10  # a date, no time of day
    with transaction(app) as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "case.export"))


def test_admin_sees_every_case_and_reassigns(app: Flask, accounts: Accounts) -> None:
    unrouted = make_case(app, None, status="new")
    client = logged_in(app, accounts.emails["admin"])
    assert unrouted in client.get("/admin/cases/").get_data(as_text=True)
    post(client, f"/admin/cases/{unrouted}/reassign", {"partner_id": accounts.partner_a})
    with transaction(app) as db:
        owner = db.scalar(select(Case.partner_id).where(Case.code == unrouted))
        assert owner == accounts.partner_a
