"""The only SQL the conversation service sees: contacts, state, message log, idempotency keys.

The webhook path is kept short: a provider id is claimed in one statement, the contact comes with
its conversation in one query, and state and log rows are written with Core statements (one per
table), no ORM objects. Handlers that need the ORM contact get it with `contact_by_id`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.util import identity_key

from bot.core.state import Conversation
from bot.storage.models import Contact, ConversationRow, InboundKey, Interaction, Message, utcnow

# INSERT ... RETURNING arrived in SQLite 3.35; older ones tell a claim by the row count instead.
_SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)
_CONTACTS = Contact.__table__
_CONVERSATIONS = ConversationRow.__table__
_KEYS = InboundKey.__table__
_MESSAGES = Message.__table__
_INTERACTIONS = Interaction.__table__

# Statements of the webhook path, built once (SQLAlchemy caches their compiled form).
# FOR UPDATE OF contacts only: PostgreSQL refuses to lock the nullable side of an outer join.
_LOAD_TURN = (
    select(_CONTACTS.c.id, _CONVERSATIONS.c.contact_id, _CONVERSATIONS.c.state)
    .select_from(
        _CONTACTS.outerjoin(_CONVERSATIONS, _CONVERSATIONS.c.contact_id == _CONTACTS.c.id)
    )
    .where(_CONTACTS.c.pseudonym == bindparam("pseudonym"))
    .with_for_update(of=_CONTACTS)
)
_SAVE_CONTACT = update(_CONTACTS).where(_CONTACTS.c.id == bindparam("contact"))
_SAVE_CONVERSATION = update(_CONVERSATIONS).where(
    _CONVERSATIONS.c.contact_id == bindparam("contact")
)
_NEW_CONVERSATION = insert(_CONVERSATIONS)
_LOG_MESSAGES = insert(_MESSAGES)
_LOG_INTERACTIONS = insert(_INTERACTIONS)
_INSERTS_IGNORING: dict[tuple[str, str, str], Insert] = {}


def _insert_ignoring_conflicts(session: Session, table: Any, column: str) -> Insert:
    """INSERT ... ON CONFLICT (column) DO NOTHING, in the session's dialect."""
    dialect = session.get_bind().dialect.name
    key = (dialect, table.name, column)
    stmt = _INSERTS_IGNORING.get(key)
    if stmt is None:
        if dialect == "postgresql":
            stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=[column])
        elif dialect == "sqlite":
            stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=[column])
        else:
            raise NotImplementedError(f"no ON CONFLICT for {dialect}")
        _INSERTS_IGNORING[key] = stmt
    return stmt


def claim(session: Session, key: str) -> bool:
    """Records a provider message id; False when it was already handled (a retry).

    One statement: a concurrent claim of the same id waits for ours and then inserts nothing.
    """
    stmt = _insert_ignoring_conflicts(session, _KEYS, "key")
    row = {"key": key, "created_at": utcnow()}
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not _SQLITE_RETURNING:
        return bool(conn.execute(stmt, row).rowcount)
    return conn.execute(stmt.returning(_KEYS.c.id), row).first() is not None


@dataclass(frozen=True)
class StoredTurn:
    """What a turn needs of a contact, read without ORM objects: its id and stored state."""

    contact_id: int
    state: dict[str, Any] | None  # the stored conversation, None when there is none yet
    has_conversation: bool


def turn_for(session: Session, pseudonym: str, channel: str) -> StoredTurn:
    """The contact behind a pseudonym with its conversation, in one query, the contact row locked
    for this transaction; created on first contact."""
    if session.autoflush:
        session.flush()  # as an ORM query would: pending changes first (a no-op when clean)
    conn = session.connection()
    row = conn.execute(_LOAD_TURN, {"pseudonym": pseudonym}).first()
    if row is None:
        # First contact. Two at once: one inserts, the other waits for it and inserts nothing.
        stmt = _insert_ignoring_conflicts(session, _CONTACTS, "pseudonym")
        conn.execute(stmt.values(pseudonym=pseudonym, channel=channel))
        row = conn.execute(_LOAD_TURN, {"pseudonym": pseudonym}).one()
    contact_id, conversation_id, state = row
    return StoredTurn(contact_id, state, conversation_id is not None)


def save_turn(session: Session, stored: StoredTurn, state: Conversation, at: datetime) -> None:
    """`save_state` for a contact read with `turn_for` and not held as an ORM object (see
    `has_orm_contact`)."""
    conn = session.connection()
    values = {"contact": stored.contact_id, "state": state.to_dict(), "updated_at": at}
    if stored.has_conversation:
        conn.execute(_SAVE_CONVERSATION, values)
    else:
        conn.execute(_NEW_CONVERSATION, {**values, "contact_id": values.pop("contact")})
    conn.execute(
        _SAVE_CONTACT,
        {
            "contact": stored.contact_id,
            "lang": state.lang,
            "country": state.country,
            "opted_out": state.opted_out,
            "last_seen_at": at,
        },
    )


def finish_turn(
    session: Session,
    stored: StoredTurn,
    state: Conversation,
    at: datetime,
    messages: Sequence[dict[str, Any]],
    interactions: Sequence[dict[str, Any]] = (),
) -> None:
    """`save_turn` and `write_log` together. On PostgreSQL a turn of a known conversation is
    written in one statement (each round trip to the server costs more than the SQL itself)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql" or not stored.has_conversation or not messages:
        save_turn(session, stored, state, at)
        write_log(session, messages, interactions)
        return
    conn.execute(
        _FINISH_TURN_PG,
        {
            "contact": stored.contact_id,
            "state": json.dumps(state.to_dict()),
            "at": at,
            "lang": state.lang,
            "country": state.country,
            "opted_out": state.opted_out,
            "messages": json.dumps(list(messages), default=_json_value),
            "interactions": json.dumps(list(interactions), default=_json_value),
        },
    )


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()  # timezone-aware: read back as the same timestamptz
    raise TypeError(f"{type(value).__name__} in a log row")


def _from_json_rows(table: Any, param: str) -> str:
    columns = ", ".join(c.name for c in table.columns if c.name != "id")
    return (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} "
        f"FROM json_populate_recordset(NULL::{table.name}, CAST(:{param} AS JSON))"
    )


# The same writes as save_turn + write_log (an existing conversation), as one statement.
_FINISH_TURN_PG = text(
    "WITH saved_conversation AS ("
    " UPDATE conversations SET state = CAST(:state AS JSON), updated_at = :at"
    " WHERE contact_id = :contact"
    "), saved_contact AS ("
    " UPDATE contacts SET lang = :lang, country = :country, opted_out = :opted_out,"
    " last_seen_at = :at WHERE id = :contact"
    f"), logged_interactions AS ({_from_json_rows(_INTERACTIONS, 'interactions')}) "
    + _from_json_rows(_MESSAGES, "messages")
)


def has_orm_contact(session: Session, contact_id: int) -> bool:
    """Whether the session already holds this contact (or its conversation) as ORM objects,
    which `save_turn` would leave stale."""
    return any(
        identity_key(model, contact_id) in session.identity_map
        for model in (Contact, ConversationRow)
    )


def contact_by_id(session: Session, contact_id: int) -> Contact:
    """The ORM contact (with its conversation) of a row `turn_for` read and locked."""
    contact = session.get(Contact, contact_id, options=[joinedload(Contact.conversation)])
    if contact is None:
        raise LookupError(f"contact {contact_id} vanished inside its own transaction")
    return contact


def find_contact(session: Session, pseudonym: str) -> Contact | None:
    """The contact behind a pseudonym, if there is one."""
    return session.scalar(select(Contact).where(Contact.pseudonym == pseudonym))


def load_state(contact: Contact) -> Conversation:
    """The stored conversation of a contact, or a fresh one."""
    row = contact.conversation
    return Conversation.from_dict(row.state if row else None)


def save_state(contact: Contact, state: Conversation, at: datetime) -> None:
    """Stores the new state and mirrors language and country for the dashboard."""
    if contact.conversation is None:
        contact.conversation = ConversationRow(state=state.to_dict(), updated_at=at)
    else:
        contact.conversation.state = state.to_dict()
        contact.conversation.updated_at = at
    contact.lang = state.lang
    contact.country = state.country
    contact.opted_out = state.opted_out
    contact.last_seen_at = at


def log(
    session: Session,
    contact: Contact | None,
    direction: str,
    channel: str,
    body: str | None,
    lang: str | None,
    segments: int = 0,
    provider_id: str | None = None,
) -> Message:
    """Adds one message to the log; the caller has already redacted an inbound body."""
    message = Message(
        contact_id=contact.id if contact else None,
        direction=direction,
        channel=channel,
        body=body,
        lang=lang,
        segments=segments,
        provider_id=provider_id,
        created_at=utcnow(),
    )
    session.add(message)
    return message


def log_row(
    contact_id: int | None,
    direction: str,
    channel: str,
    body: str | None,
    lang: str | None,
    segments: int = 0,
) -> dict[str, Any]:
    """One message of the log as a row for `write_log` (the caller redacts inbound bodies)."""
    return {
        "contact_id": contact_id,
        "direction": direction,
        "channel": channel,
        "body": body,
        "lang": lang,
        "segments": segments,
        "provider_id": None,
        "delivery_status": None,
        "created_at": utcnow(),
    }


def write_log(
    session: Session,
    messages: Sequence[dict[str, Any]],
    interactions: Sequence[dict[str, Any]] = (),
) -> None:
    """Inserts message rows (`log_row`) and interaction rows at once, in order, no ORM objects.

    Core statements do not flush the session: the caller flushes first when ORM objects it added
    must come before these rows."""
    if not messages and not interactions:
        return
    conn = session.connection()
    if messages:
        conn.execute(_LOG_MESSAGES, list(messages))
    if interactions:
        conn.execute(_LOG_INTERACTIONS, list(interactions))


def forget(session: Session, contact: Contact) -> None:
    """Deletes a contact with its state, sealed address and message bodies."""
    session.execute(delete(Message).where(Message.contact_id == contact.id))
    session.delete(contact)
