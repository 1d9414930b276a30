"""The only SQL the conversation service sees: contacts, state, message log, idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.state import Conversation
from bot.storage.models import Contact, ConversationRow, InboundKey, Message, utcnow


def claim(session: Session, key: str) -> bool:
    """Records a provider message id; False when it was already handled (a retry)."""
    if session.scalar(select(InboundKey.id).where(InboundKey.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(InboundKey(key=key))
    except IntegrityError:
        return False
    return True


def contact_for(session: Session, pseudonym: str, channel: str) -> Contact:
    """The contact behind a pseudonym, locked for this transaction, created on first contact."""
    query = select(Contact).where(Contact.pseudonym == pseudonym).with_for_update()
    contact = session.scalar(query)
    if contact is not None:
        return contact
    try:
        with session.begin_nested():
            contact = Contact(pseudonym=pseudonym, channel=channel)
            session.add(contact)
    except IntegrityError:
        # Two first messages at once: the other transaction created it.
        contact = session.scalars(query).one()
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


def forget(session: Session, contact: Contact) -> None:
    """Deletes a contact with its state, sealed address and message bodies."""
    session.execute(delete(Message).where(Message.contact_id == contact.id))
    session.delete(contact)
