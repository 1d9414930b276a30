"""All tables, imported together so the metadata (and Alembic) sees every one."""

from bot.storage.db import Base
from bot.storage.models.accounts import ROLES, AdminUser
from bot.storage.models.audit import AuditEntry
from bot.storage.models.content import (
    Agency,
    AgencyList,
    HotlineDirectory,
    HotlineRow,
    Topic,
    TopicText,
    TopicTextVersion,
)
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
from bot.storage.models.editorial import ContentDraft, ContentRevision, content_revision
from bot.storage.models.outbox import OutboxMessage
from bot.storage.models.reports import (
    OPEN_STATUSES,
    OUTCOMES,
    STATUSES,
    Case,
    CaseEvent,
    CaseMessage,
    Notification,
    Partner,
    RoutingRule,
)

__all__ = [
    "OPEN_STATUSES",
    "OUTCOMES",
    "ROLES",
    "STATUSES",
    "AdminUser",
    "Agency",
    "AgencyList",
    "AuditEntry",
    "Base",
    "Case",
    "CaseEvent",
    "CaseMessage",
    "Contact",
    "ContactAddress",
    "ContentDraft",
    "ContentRevision",
    "ConversationRow",
    "HotlineDirectory",
    "HotlineRow",
    "InboundKey",
    "Interaction",
    "Message",
    "Notification",
    "OutboxMessage",
    "Partner",
    "PendingInbound",
    "RoutingRule",
    "Topic",
    "TopicText",
    "TopicTextVersion",
    "content_revision",
    "utcnow",
]
