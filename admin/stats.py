"""The dashboard's figures, read from the message log, interactions and cases (counts only).

Rules:
- Every figure is a count or a duration over a period and optionally one country; no row that
  could name a person leaves this module.
- Messages count by the country the contact last gave; interactions and cases carry their own.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from admin.accounts import aware
from bot.storage.models import Case, Contact, Interaction, Message


@dataclass(frozen=True)
class Period:
    """From `start` (inclusive) to `end` (exclusive), in UTC, and optionally one country."""

    start: datetime
    end: datetime
    country: str | None = None

    @classmethod
    def last_days(
        cls, days: int, country: str | None = None, now: datetime | None = None
    ) -> Period:
        now = now or datetime.now(UTC)
        end = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        return cls(end - timedelta(days=days), end, country)

    def weeks(self) -> list[date]:
        """The Monday of every week the period touches."""
        monday = self.start.date() - timedelta(days=self.start.weekday())
        out = []
        while monday < self.end.date():
            out.append(monday)
            monday += timedelta(days=7)
        return out


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _messages(period: Period, *columns: Any) -> Select[Any]:
    query = select(*columns).where(
        Message.created_at >= period.start, Message.created_at < period.end
    )
    if period.country:
        query = query.join(Contact, Contact.id == Message.contact_id).where(
            Contact.country == period.country
        )
    return query


def messages(db: Session, period: Period) -> dict[str, int]:
    """Messages in and out."""
    query = _messages(period, Message.direction, func.count()).group_by(Message.direction)
    counts = {"in": 0, "out": 0}
    counts.update({str(d): int(n) for d, n in db.execute(query)})
    return counts


def messages_by_week(db: Session, period: Period) -> list[tuple[date, int, int]]:
    """(Monday, in, out) for every week of the period; grouped by day in SQL, by week here."""
    day = func.date(Message.created_at)
    query = _messages(period, day, Message.direction, func.count()).group_by(
        day, Message.direction
    )
    weeks: dict[date, Counter[str]] = {w: Counter() for w in period.weeks()}
    for value, direction, n in db.execute(query):
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        weeks.setdefault(week_of(when), Counter())[str(direction)] += int(n)
    return [(w, c["in"], c["out"]) for w, c in sorted(weeks.items())]


def users_reached(db: Session, period: Period) -> int:
    """People (pseudonymous contacts) who wrote at least once."""
    query = _messages(period, func.count(func.distinct(Message.contact_id))).where(
        Message.direction == "in"
    )
    return int(db.scalar(query) or 0)


def _interactions(db: Session, period: Period, kind: str, column: Any) -> list[tuple[str, int]]:
    query = (
        select(column, func.count())
        .where(Interaction.kind == kind)
        .where(Interaction.created_at >= period.start, Interaction.created_at < period.end)
        .group_by(column)
        .order_by(func.count().desc())
    )
    if period.country:
        query = query.where(Interaction.country == period.country)
    return [(str(code or "?"), int(n)) for code, n in db.execute(query)]


def topics_asked(db: Session, period: Period) -> list[tuple[str, int]]:
    """How often each topic was sent."""
    return _interactions(db, period, "topic", Interaction.slug)


def unanswered_by_lang(db: Session, period: Period) -> list[tuple[str, int]]:
    """Questions the bot did not understand, per language."""
    return _interactions(db, period, "unanswered", Interaction.lang)


def unanswered_questions(db: Session, period: Period, limit: int = 200) -> list[Interaction]:
    """The redacted questions themselves: the editors' to-do list (never shown to analysts)."""
    query = (
        select(Interaction)
        .where(Interaction.kind == "unanswered")
        .where(Interaction.created_at >= period.start, Interaction.created_at < period.end)
        .order_by(Interaction.created_at.desc())
        .limit(limit)
    )
    if period.country:
        query = query.where(Interaction.country == period.country)
    return list(db.scalars(query))


@dataclass(frozen=True)
class CaseFacts:
    """The anonymous fields of one case the dashboard counts."""

    created_at: datetime
    country: str | None
    category: str | None
    lang: str | None
    urgent: bool
    status: str
    outcome: str | None
    followup_state: str
    ack_minutes: float | None


def cases(db: Session, period: Period) -> list[CaseFacts]:
    """Cases reported in the period (few enough to count in Python, on any database)."""
    query = select(
        Case.created_at, Case.country, Case.category, Case.lang, Case.urgent, Case.status,
        Case.outcome, Case.followup_state, Case.acknowledged_at,
    ).where(Case.created_at >= period.start, Case.created_at < period.end)  # fmt: skip
    if period.country:
        query = query.where(Case.country == period.country)
    out = []
    for row in db.execute(query):
        created, acked = aware(row.created_at), aware(row.acknowledged_at)
        minutes = (acked - created).total_seconds() / 60 if acked and created else None
        out.append(CaseFacts(created, row.country, row.category, row.lang, bool(row.urgent),  # type: ignore[arg-type]
                             row.status, row.outcome, row.followup_state or "none", minutes))
    return out


def count_by(facts: Iterable[CaseFacts], field: str) -> list[tuple[str, int]]:
    """Cases per value of one field, most first."""
    counter = Counter(str(getattr(f, field) or "?") for f in facts)
    return counter.most_common()


def cases_by_week(facts: list[CaseFacts], period: Period) -> list[tuple[date, int]]:
    weeks = Counter({w: 0 for w in period.weeks()})
    for fact in facts:
        weeks[week_of(fact.created_at.date())] += 1
    return sorted(weeks.items())


@dataclass(frozen=True)
class AckTimes:
    """How fast cases were acknowledged: median and 90th percentile minutes, within the SLA."""

    sample: int
    median: float | None
    p90: float | None
    within_sla: int
    urgent_sample: int
    urgent_median: float | None


def ack_times(facts: list[CaseFacts], sla_minutes: int) -> AckTimes:
    """Time from report to acknowledgement, for all cases and urgent ones."""
    times = sorted(f.ack_minutes for f in facts if f.ack_minutes is not None)
    urgent = sorted(f.ack_minutes for f in facts if f.urgent and f.ack_minutes is not None)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))] if times else None
    return AckTimes(
        sample=len(times),
        median=statistics.median(times) if times else None,
        p90=p90,
        within_sla=sum(1 for f in facts if f.urgent and f.ack_minutes is not None
                       and f.ack_minutes <= sla_minutes),
        urgent_sample=len(urgent),
        urgent_median=statistics.median(urgent) if urgent else None,
    )
