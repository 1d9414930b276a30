"""Flask-WTF forms of the panel; each carries its CSRF token."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from admin.accounts import MIN_PASSWORD
from admin.i18n import PANEL_LANGS
from bot.storage.models import ROLES

try:  # WTForms 3.3 wants SelectChoice objects; older versions take (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def options(pairs: Iterable[tuple[str, object]]) -> list[Any]:
    """Choices for a SelectField in the form this WTForms version expects."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value=value, label=str(label)) for value, label in pairs]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class SetupForm(FlaskForm):
    token = StringField(_l("Setup token (printed on the server console)"),
                        validators=[DataRequired(), Length(max=128)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=1024)])
    confirm = PasswordField(_l("Password again"), validators=[EqualTo("password")])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=1024)])
    confirm = PasswordField(_l("New password again"),
                            validators=[EqualTo("password", message=_l("The passwords differ."))])


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language of the panel"), choices=options(PANEL_LANGS.items()))


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=options((r, r) for r in ROLES))
    partner = SelectField(_l("Partner organisation (partner accounts only)"), choices=[],
                          validate_choice=False)
    password = PasswordField(_l("First password (tell them to change it)"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=1024)])


class TopicTextForm(FlaskForm):
    title = StringField(_l("Menu title"), validators=[Optional(), Length(max=60)])
    sms = TextAreaField(_l("SMS text"), validators=[Optional(), Length(max=2000)])
    long = TextAreaField(_l("Telegram text"), validators=[Optional(), Length(max=8000)])
    note = StringField(_l("What changed (for the history)"), validators=[Optional(),
                                                                          Length(max=200)])


class HotlineForm(FlaskForm):
    country = SelectField(_l("Country"), choices=[])
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=32)])
    kind = StringField(_l("Kind (labour, ngo, police, ...)"), validators=[DataRequired(),
                                                                          Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    purpose = StringField(_l("What it is for"), validators=[Optional(), Length(max=300)])
    languages = StringField(_l("Languages (codes, comma separated)"),
                            validators=[Optional(), Length(max=60)])
    source_title = StringField(_l("Source"), validators=[DataRequired(), Length(max=200)])
    source_url = StringField(_l("Source address"), validators=[Optional(), Length(max=500)])
    verified = BooleanField(_l("Verified by an editor"))


class PoImportForm(FlaskForm):
    file = FileField(_l(".po file from the translator"), validators=[FileRequired()])


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=1000)])
