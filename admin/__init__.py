"""The admin panel: accounts, partners' inbox, content editing and the dashboard, under /admin.

Server-rendered pages with a few kilobytes of CSS and one optional script: every core task works
without JavaScript, on a phone, over a slow connection.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from admin import (
    audit,
    auth,
    case_export,
    cases,
    content,
    dashboard,
    hotlines,
    partners,
    translate,
    users,
)
from admin.accounts import aware
from admin.web import bp, csrf, current_user, roles_of
from bot.storage.models import AdminUser

# One screen per module, nested under the `admin` blueprint so its gate covers them all.
SCREENS = (auth, users, audit, dashboard, content, hotlines, translate, partners, case_export,
           cases)
for _screen in SCREENS:
    bp.register_blueprint(_screen.bp)

# The menu: endpoint and label; each user sees the entries their role may open.
NAV = (
    ("admin.cases.inbox", _l("Cases")),
    ("admin.content.grid", _l("Content")),
    ("admin.hotlines.index", _l("Hotlines")),
    ("admin.dashboard.index", _l("Dashboard")),
    ("admin.partners.index", _l("Partners")),
    ("admin.users.index", _l("Accounts")),
    ("admin.audit.index", _l("Audit log")),
)


def nav_items(account: AdminUser) -> list[tuple[str, object]]:
    """The menu entries this user's role may open."""
    items = []
    for endpoint, label in NAV:
        roles = roles_of(endpoint)
        if roles and account.role in roles:
            items.append((endpoint, label))
    return items


def utc(moment: datetime | None) -> str:
    """A stored time as `2026-11-25 14:03` in UTC, or empty."""
    moment = aware(moment)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _static_version() -> str:
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "static").glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def init_app(app: Flask) -> None:
    """Registers the panel: CSRF for /admin only, the panel's languages, the screens."""
    from admin import i18n

    # CSRF is checked by the admin gate, never app-wide: webhooks carry their own signatures.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)  # an editor may edit for hours
    csrf.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(bp)
    app.add_template_filter(utc, "utc")
    app.jinja_env.globals.update(
        current_admin=current_user, nav_items=nav_items, static_version=_static_version()
    )
