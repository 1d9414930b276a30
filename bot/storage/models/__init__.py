"""All tables, imported together so the metadata (and Alembic) sees every one."""

from bot.storage.db import Base
from bot.storage.models.accounts import ROLES, AdminUser
from bot.storage.models.core import (
    Contact,
    ContactAddress,
    ConversationRow,
    InboundKey,
    Interaction,
    Message,
    PendingInbound,
    utcnow,
)

__all__ = [
    "ROLES",
    "AdminUser",
    "Base",
    "Contact",
    "ContactAddress",
    "ConversationRow",
    "InboundKey",
    "Interaction",
    "Message",
    "PendingInbound",
    "utcnow",
]
