"""The webhook's short path: one-statement claims, the content revision read once per TTL, state
and log rows written without ORM objects (one statement on PostgreSQL), all saying exactly what
the long path said."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, func, insert, select

from bot import content_source
from bot.content_source import content_ttl, current_content
from bot.core import segments
from bot.service import get_helpline
from bot.storage import repo
from bot.storage.db import get_engine, transaction
from bot.storage.models import (
    Contact,
    ContentRevision,
    Interaction,
    Message,
    Topic,
    TopicText,
    TopicTextVersion,
)
from bot.storage.models.editorial import bump_revision
from tests.conftest import make_test_app

PHONE = "+66 81 234 5678"
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
WORDS = ["hello", "1", "1", "2", "1", "0", "3", "2", "my boss took my passport", "0", "MORE", "0"]


@pytest.fixture
def cached_app(db_url: str) -> Iterator[Flask]:
    """An app that trusts a checked content revision for a minute, as production does for 2 s."""
    app = make_test_app(db_url, CONTENT_TTL_SECONDS=60)
    yield app
    get_engine(app).dispose()


def _revision(app: Flask) -> object:
    return current_content(app)[1]


def _conversation(app: Flask, who: str, words: list[str], first: int = 0) -> list[list[str]]:
    helpline = get_helpline(app)
    answers = []
    for n, word in enumerate(words, first):
        at = START + timedelta(minutes=n)
        received = helpline.receive("sms", who, word, key=f"{who}:{n}", at=at)
        answers.append([r.text for r in received.replies])
    return answers


def test_a_provider_id_is_claimed_once(app: Flask) -> None:
    with transaction(app) as session:
        assert repo.claim(session, "twilio:SM1")
        assert not repo.claim(session, "twilio:SM1")
        assert repo.claim(session, "twilio:SM2")
    with transaction(app) as session:
        assert not repo.claim(session, "twilio:SM1")


def test_the_first_message_creates_the_contact_once(app: Flask) -> None:
    with transaction(app) as session:
        first = repo.turn_for(session, "p1", "sms")
        again = repo.turn_for(session, "p1", "sms")
        assert first == again and first.state is None and not first.has_conversation
    with transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.pseudonym, contact.channel, contact.opted_out) == ("p1", "sms", False)
        assert contact.created_at is not None and contact.last_seen_at is not None


def test_a_turn_logs_what_the_orm_path_logged(app: Flask) -> None:
    _conversation(app, PHONE, WORDS)
    with transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        messages = session.scalars(select(Message).order_by(Message.id)).all()
        shown = session.scalars(select(Interaction).order_by(Interaction.id)).all()
        assert contact.conversation is not None
        state = contact.conversation.state
        assert (contact.country, contact.lang) == (state["country"], state["lang"])
        assert contact.country and contact.lang
    directions = [m.direction for m in messages]
    assert directions[0] == "in" and directions.count("in") == len(WORDS)
    assert all(m.contact_id == contact.id and m.channel == "sms" for m in messages)
    assert all(m.segments >= 1 for m in messages if m.direction == "out")
    assert all(m.segments == 0 for m in messages if m.direction == "in")
    topics = [i for i in shown if i.kind == "topic"]
    assert topics and all(i.country == contact.country and i.channel == "sms" for i in topics)


def test_a_contact_the_session_holds_is_kept_up_to_date(app: Flask) -> None:
    helpline = get_helpline(app)
    helpline.receive("sms", PHONE, "hello, I need information", key="k1", at=START)
    with transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        assert contact.country is None
        repo.claim(session, "k2")
        helpline.answer_queued(session, "sms", PHONE, "1", START + timedelta(minutes=1))
        assert contact.country == "TH"  # the object the session holds, not a stale copy


def test_the_content_revision_is_read_once_per_ttl(
    cached_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert content_ttl(cached_app) == 60
    before = _revision(cached_app)
    with get_engine(cached_app).begin() as conn:  # another process publishes
        conn.execute(insert(ContentRevision).values(what="elsewhere", at=datetime.now(UTC)))
    assert _revision(cached_app) == before
    later = content_source.time.monotonic() + 61
    monkeypatch.setattr(content_source.time, "monotonic", lambda: later)
    assert _revision(cached_app) != before


def test_a_publish_in_this_process_is_served_at_once(cached_app: Flask) -> None:
    before = _revision(cached_app)
    with transaction(cached_app) as session:
        bump_revision(session, "publish", "editor@example.org")
    assert _revision(cached_app) != before


def test_a_rolled_back_publish_changes_nothing(cached_app: Flask) -> None:
    before = _revision(cached_app)
    with pytest.raises(RuntimeError), transaction(cached_app) as session:
        bump_revision(session, "publish", "editor@example.org")
        session.flush()
        raise RuntimeError("the editor's request failed")
    assert _revision(cached_app) == before


def test_tests_read_the_revision_every_time(app: Flask) -> None:
    app.config.pop("CONTENT_TTL_SECONDS", None)  # unless HELPLINE_CONTENT_TTL_SECONDS says
    assert content_ttl(app) == 0
    app.testing = False
    assert content_ttl(app) == content_source.DEFAULT_TTL_SECONDS


def test_an_empty_content_database_is_still_filled(cached_app: Flask) -> None:
    with transaction(cached_app) as session:
        session.execute(delete(TopicTextVersion))
        session.execute(delete(TopicText))
        session.execute(delete(Topic))
    cached_app.extensions.pop(content_source.CACHE, None)  # a new process on an empty database
    answers = _conversation(cached_app, PHONE, WORDS[:3])
    assert all(answers)
    with transaction(cached_app) as session:
        assert session.scalar(select(func.count()).select_from(Topic))


def test_segment_counts_match_the_septet_by_septet_count() -> None:
    def reference(text: str) -> segments.SegmentCount:
        gsm = all(ch in segments.GSM_BASIC or ch in segments.GSM_EXTENSION for ch in text)
        enc: segments.Encoding = "GSM-7" if gsm else "UCS-2"
        costs = [segments._unit_cost(ch, enc) for ch in text]
        units = sum(costs)
        if units <= segments.SINGLE[enc]:
            return segments.SegmentCount(enc, units, 1 if units else 0)
        parts, used = 1, 0
        for cost in costs:
            if used + cost > segments.PART[enc]:
                parts, used = parts + 1, 0
            used += cost
        return segments.SegmentCount(enc, units, parts)

    rng = random.Random(7)
    basic = sorted(segments.GSM_BASIC)
    pools = [basic, basic + sorted(segments.GSM_EXTENSION), [*basic, "ก", "😀", "€", "\ud800"],
             ["a", "😀"], ["€", "a"]]  # fmt: skip
    for _ in range(5000):
        pool = rng.choice(pools)
        n = rng.choice([0, 1, 69, 70, 71, 134, 153, 160, 161, 306, 307, 459, 460, 700])
        text = "".join(rng.choice(pool) for _ in range(n))
        assert segments.count(text) == reference(text), text


def test_pages_are_cut_once_and_handed_out_as_copies() -> None:
    text = "A sentence that goes on. " * 40
    first = segments.paginate(text, 1, " (MORE)")
    first.append("changed by a caller")
    again = segments.paginate(text, 1, " (MORE)")
    assert again == first[:-1] and len(again) > 2
    assert all(segments.fits(page, 1) for page in again)


def test_one_statement_writes_what_the_separate_ones_write(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [*WORDS, "COUNTRY", "2"]
    _conversation(app, "+66810000001", words)

    def separately(session, stored, state, at, messages, interactions=()):  # type: ignore[no-untyped-def]
        repo.save_turn(session, stored, state, at)
        repo.write_log(session, messages, interactions)

    monkeypatch.setattr(repo, "finish_turn", separately)
    _conversation(app, "+66810000002", words)
    with transaction(app) as session:
        one, two = session.scalars(select(Contact).order_by(Contact.id)).all()
        assert one.conversation is not None and two.conversation is not None
        assert one.conversation.state == two.conversation.state
        assert one.conversation.updated_at == two.conversation.updated_at
        fields = ("lang", "country", "opted_out", "last_seen_at")
        assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
        logs = [
            [(m.direction, m.channel, m.body, m.lang, m.segments, m.provider_id,
              m.delivery_status) for m in session.scalars(
                select(Message).where(Message.contact_id == c.id).order_by(Message.id))]
            for c in (one, two)
        ]  # fmt: skip
        assert logs[0] == logs[1] and len(logs[0]) > len(words)
        stamps = session.scalars(select(Message.created_at).order_by(Message.id)).all()
        assert len(set(stamps)) > 1
        assert all(abs(s - stamps[0]) < timedelta(minutes=5) for s in stamps)
        shown = [
            (i.kind, i.slug, i.lang, i.country, i.channel, i.text, i.created_at)
            for i in session.scalars(select(Interaction).order_by(Interaction.id))
        ]
        half = len(shown) // 2
        assert shown and shown[:half] == shown[half:]
