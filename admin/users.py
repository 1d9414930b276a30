"""The admins' screen for accounts: add, switch off or on, unlock, set a new password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from admin import audit
from admin.accounts import AccountError, aware, create_user, new_stamp, set_password
from admin.forms import UserForm, options
from admin.web import allow, go, user
from bot.storage.db import get_session
from bot.storage.models import AdminUser, Partner, utcnow

bp = Blueprint("users", __name__, url_prefix="/users")


def partner_choices() -> list[tuple[str, str]]:
    partners = get_session().scalars(select(Partner).order_by(Partner.name)).all()
    return options([("", "—")] + [(str(p.id), p.name) for p in partners])


@bp.route("/", methods=["GET", "POST"])
@allow("admin")
def index():  # type: ignore[no-untyped-def]
    """Every account, and the form to add one."""
    db = get_session()
    form = UserForm()
    form.partner.choices = partner_choices()
    if form.validate_on_submit():
        partner_id = int(form.partner.data) if form.partner.data else None
        try:
            added = create_user(db, form.email.data or "", form.password.data or "",
                                form.role.data or "", partner_id)
        except AccountError as problem:
            form.email.errors = [str(problem)]
        else:
            audit.record("user.create", "user", added.id,
                         detail={"email": added.email, "role": added.role,
                                 "partner_id": partner_id})
            db.commit()
            flash(_("Account %(email)s added.", email=added.email), "info")
            return go("admin.users.index")
    accounts = db.scalars(select(AdminUser).order_by(AdminUser.role, AdminUser.email)).all()
    names = {p.id: p.name for p in db.scalars(select(Partner)).all()}
    now = utcnow()
    locked = {a.id for a in accounts if (aware(a.locked_until) or now) > now}
    status = 400 if request.method == "POST" else 200
    return render_template("admin/users.html", form=form, accounts=accounts, names=names,
                           locked=locked), status


def _account(user_id: int) -> AdminUser:
    found = get_session().get(AdminUser, user_id)
    if found is None:
        abort(404)
    return found


@bp.post("/<int:user_id>/active")
@allow("admin")
def set_active(user_id: int):  # type: ignore[no-untyped-def]
    """Switches an account off (its sessions end) or on again; nobody switches themself off."""
    account = _account(user_id)
    on = request.form.get("active") == "1"
    if account.id == user().id and not on:
        flash(_("You cannot switch off your own account."), "error")
        return go("admin.users.index")
    account.active = on
    account.session_stamp = new_stamp()
    audit.record("user.activate" if on else "user.deactivate", "user", account.id)
    get_session().commit()
    return go("admin.users.index")


@bp.post("/<int:user_id>/unlock")
@allow("admin")
def unlock(user_id: int):  # type: ignore[no-untyped-def]
    """Lifts a lockout after too many wrong passwords."""
    account = _account(user_id)
    account.locked_until = None
    account.failed_logins = 0
    audit.record("user.unlock", "user", account.id)
    get_session().commit()
    return go("admin.users.index")


@bp.post("/<int:user_id>/password")
@allow("admin")
def reset_password(user_id: int):  # type: ignore[no-untyped-def]
    """Sets a new password for someone who lost theirs; their sessions end."""
    account = _account(user_id)
    try:
        set_password(account, request.form.get("password", ""))
    except AccountError as problem:
        flash(str(problem), "error")
        return go("admin.users.index")
    audit.record("user.password_reset", "user", account.id)
    get_session().commit()
    flash(_("New password set for %(email)s.", email=account.email), "info")
    return go("admin.users.index")
