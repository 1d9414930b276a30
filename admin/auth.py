"""Logging in and out, the first-run setup, and each user's own account page."""

from __future__ import annotations

import hmac
import os
import secrets
import sys
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh

from admin import audit
from admin.accounts import (
    AccountError,
    authenticate,
    count_users,
    create_user,
    new_stamp,
    set_password,
    verify,
)
from admin.forms import LanguageForm, LoginForm, PasswordForm, SetupForm
from admin.i18n import PANEL_LANGS
from admin.web import EVERYONE, PUBLIC, allow, go, safe_next, start_session, user
from bot.storage.db import get_session

bp = Blueprint("auth", __name__)

HOME_OF_ROLE = {
    "admin": "admin.dashboard.index",
    "analyst": "admin.dashboard.index",
    "editor": "admin.content.grid",
    "partner": "admin.cases.inbox",
}
REASONS = {
    "bad": _l("Wrong email or password."),
    "inactive": _l("This account is switched off. Ask an administrator."),
}


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():  # type: ignore[no-untyped-def]
    """The login form; five wrong passwords lock the account for a quarter of an hour."""
    if request.args.get("lang") in PANEL_LANGS:
        session["panel_lang"] = request.args["lang"]
        refresh()  # the language may already have been chosen for this request
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        db = get_session()
        result = authenticate(db, form.email.data or "", form.password.data or "")
        if result.user is not None:
            audit.record("login", "user", result.user.id, who=result.user)
            db.commit()
            start_session(result.user)
            return redirect(safe_next(form.next.data), code=303)
        db.commit()
        if result.reason == "locked":
            flash(_("Too many wrong passwords. Try again in 15 minutes."), "error")
        else:
            flash(str(REASONS[result.reason]), "error")
    status = 400 if request.method == "POST" else 200
    return render_template("admin/login.html", form=form, no_users=_no_users()), status


@bp.post("/logout")
@allow(*EVERYONE)
def logout():  # type: ignore[no-untyped-def]
    """Ends this session and every other session of the user."""
    account = user()
    account.session_stamp = new_stamp()
    audit.record("logout", "user", account.id)
    get_session().commit()
    session.clear()
    flash(_("You are logged out."), "info")
    return go("admin.auth.login")


@bp.get("/")
@allow(*EVERYONE)
def home():  # type: ignore[no-untyped-def]
    """Each role starts on its own screen."""
    return go(HOME_OF_ROLE[user().role])


@bp.route("/account", methods=["GET", "POST"])
@allow(*EVERYONE)
def account():  # type: ignore[no-untyped-def]
    """The user's language and password."""
    me = user()
    lang_form = LanguageForm(prefix="lang", lang=me.lang)
    pw_form = PasswordForm(prefix="pw")
    if request.method == "POST" and "lang-lang" in request.form and lang_form.validate():
        me.lang = lang_form.lang.data or "en"
        audit.record("account.language", "user", me.id, detail={"lang": me.lang})
        get_session().commit()
        return go("admin.auth.account")
    if request.method == "POST" and "pw-password" in request.form and pw_form.validate():
        if not verify(me, pw_form.current.data or ""):
            pw_form.current.errors = [_("That is not your current password.")]
        else:
            try:
                set_password(me, pw_form.password.data or "")
            except AccountError as problem:
                pw_form.password.errors = [str(problem)]
            else:
                audit.record("account.password", "user", me.id)
                get_session().commit()
                start_session(me)
                flash(_("Your password is changed. Other sessions are logged out."), "info")
                return go("admin.auth.account")
    status = 400 if request.method == "POST" else 200
    return render_template("admin/account.html", lang_form=lang_form, pw_form=pw_form), status


# -- first run ---------------------------------------------------------------------------------
def token_path(app: Flask) -> Path:
    return Path(app.instance_path) / "admin-setup-token"


def setup_token(app: Flask) -> str:
    """The one-time token for /admin/setup, created once and shared by every worker."""
    path = token_path(app)
    if path.exists():
        return path.read_text().strip()
    token = secrets.token_urlsafe(24)
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "w") as out:
        out.write(token)
    try:
        os.link(tmp, path)  # first writer wins; the others read its token
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return path.read_text().strip()


def announce_setup(app: Flask) -> None:
    """Prints the setup token on the server console, where only the operator sees it."""
    print(
        f"No admin account yet. The token for /admin/setup is {setup_token(app)}\n"
        "(or run: helpline users add EMAIL --first-admin)",
        file=sys.stderr,
    )


def _no_users() -> bool:
    return count_users(get_session()) == 0


@bp.route("/setup", methods=["GET", "POST"])
@allow(PUBLIC)
def setup():  # type: ignore[no-untyped-def]
    """Creates the first admin; works only while no user exists and with the console's token."""
    if not _no_users():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        expected = setup_token(current_app)
        if not hmac.compare_digest((form.token.data or "").strip(), expected):
            form.token.errors = [_("That is not the token printed on the server console.")]
        else:
            db = get_session()
            try:
                first = create_user(db, form.email.data or "", form.password.data or "", "admin")
            except AccountError as problem:
                form.email.errors = [str(problem)]
            else:
                audit.record("user.create", "user", first.id, who=first,
                             detail={"role": "admin", "first": True})
                db.commit()
                token_path(current_app).unlink(missing_ok=True)
                start_session(first)
                return go("admin.users.index")
    elif request.method == "GET":
        announce_setup(current_app)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/setup.html", form=form), status
