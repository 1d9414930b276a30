"""The admin blueprint's gate: who is logged in, which roles a view allows, CSRF, safe headers.

Rules:
- Every admin view declares its roles with `@allow(...)`. A view that declares nothing is refused
  (fail closed), so a forgotten decorator shows up as a 403 in the route walk test, not as a leak.
- CSRF is checked for every unsafe method under /admin only; webhooks are never touched.
- A session is valid only while the user is active and its stamp matches the user's current one
  (a password change or logout everywhere ends the other sessions), and for SESSION_HOURS at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from bot.storage.db import get_session
from bot.storage.models import ROLES, AdminUser

PUBLIC = "public"
EVERYONE = frozenset(ROLES)  # any logged-in user
SESSION_HOURS = 12
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

csrf = CSRFProtect()
bp = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

View = TypeVar("View", bound=Callable[..., Any])


def allow(*roles: str) -> Callable[[View], View]:
    """Declares who may use a view: role names, EVERYONE's roles, or PUBLIC (no login)."""
    unknown = set(roles) - set(ROLES) - {PUBLIC}
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")

    def mark(view: View) -> View:
        view.admin_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return mark


def current_user() -> AdminUser | None:
    """The logged-in user of this request, if any."""
    found: AdminUser | None = g.get("admin_user")
    return found


def user() -> AdminUser:
    """The logged-in user of a view that required a login."""
    found = current_user()
    if found is None:
        abort(401)
    return found


def start_session(account: AdminUser) -> None:
    """Logs the user in with a fresh session (no fixation: the old one is dropped)."""
    session.clear()
    session["uid"] = account.id
    session["stamp"] = account.session_stamp
    session["since"] = int(time.time())


def _load_user() -> None:
    g.admin_user = None
    uid, stamp = session.get("uid"), session.get("stamp")
    if uid is None or not stamp:
        return
    if time.time() - int(session.get("since", 0)) > SESSION_HOURS * 3600:
        session.clear()
        return
    found = get_session().get(AdminUser, uid)
    if found is None or not found.active or found.session_stamp != stamp:
        session.clear()
        return
    g.admin_user = found


def roles_of(endpoint: str | None) -> frozenset[str] | None:
    """The roles a view endpoint declared, or None when it declared none."""
    if endpoint is None:
        return None
    if endpoint == "admin.static":
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "admin_roles", None)


@bp.before_request
def guard() -> BaseResponse | None:
    """Checks CSRF, the login and the view's roles before any admin view runs."""
    if request.method not in SAFE_METHODS:
        csrf.protect()
    _load_user()
    roles = roles_of(request.endpoint)
    if roles is None:
        abort(403)
    if PUBLIC in roles:
        return None
    account = current_user()
    if account is None:
        if request.method in SAFE_METHODS:
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("admin.auth.login", next=target))
        abort(401)
    if account.role not in roles:
        abort(403)
    return None


@bp.after_request
def headers(response: Response) -> Response:
    """No framing, no third-party anything, nothing cached: pages may hold case details."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "admin.static":
        response.headers["Cache-Control"] = "no-store"
    elif request.args.get("v"):
        # Versioned by content hash: a slow connection fetches the CSS and script once.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    return render_template("admin/error.html", code=400, reason=error.description), 400


@bp.errorhandler(401)
@bp.errorhandler(403)
@bp.errorhandler(404)
def refused(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("admin/error.html", code=code, reason=None), code


def safe_next(target: str | None) -> str:
    """A redirect target inside the admin, never another site."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.auth.home")


def go(endpoint: str, **values: Any) -> BaseResponse:
    """A 303 redirect after a POST, so reloading the page does not repeat the change."""
    return redirect(url_for(endpoint, **values), code=303)
