"""Names the panel shows for codes: countries, languages, case statuses, outcomes, categories."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from bot.content.taxonomy import COUNTRIES as COUNTRY_CODES
from bot.content.taxonomy import LANGUAGES as LANGUAGE_CODES
from bot.flows.common import LANGUAGES as BOT_LANGUAGES

COUNTRIES = {
    "TH": _l("Thailand"),
    "MY": _l("Malaysia"),
    "MM": _l("Myanmar"),
    "KH": _l("Cambodia"),
    "LA": _l("Lao PDR"),
    "VN": _l("Viet Nam"),
    "CN": _l("China (Yunnan)"),
}
assert set(COUNTRIES) == set(COUNTRY_CODES)

# Each language in its own script, as the bot's language menu shows them (English first here).
LANGUAGES = {"en": BOT_LANGUAGES["en"], **{k: v for k, v in BOT_LANGUAGES.items() if k != "en"}}
assert set(LANGUAGES) == set(LANGUAGE_CODES)

STATUSES = {
    "new": _l("New"),
    "assigned": _l("Assigned"),
    "acknowledged": _l("Acknowledged"),
    "in_progress": _l("In progress"),
    "referred": _l("Referred"),
    "closed": _l("Closed"),
}

OUTCOMES = {
    "safe": _l("Safe"),
    "assisted_in_place": _l("Helped where they are"),
    "returned_reintegrated": _l("Returned home and supported"),
    "in_shelter": _l("In a shelter"),
    "re_migrated": _l("Migrated again"),
    "re_trafficked": _l("Trafficked again"),
    "referred": _l("Referred elsewhere"),
    "lost_contact": _l("Lost contact"),
    "declined_help": _l("Declined help"),
    "unknown": _l("Not known"),
}

CATEGORIES = {
    "unpaid-wages": _l("Unpaid wages or unfair dismissal"),
    "document-confiscation": _l("Passport or ID kept by someone"),
    "forced-labour": _l("Forced labour or debt"),
    "abuse-violence": _l("Violence, threats or harassment"),
    "sexual-exploitation": _l("Sexual exploitation"),
    "child-labour": _l("Child at risk"),
    "missing-person": _l("Someone is missing"),
    "arrest-detention": _l("Arrested or detained"),
    "other": _l("Something else"),
}

FOLLOWUPS = {
    "none": _l("No follow-up"),
    "pending": _l("Planned"),
    "sent": _l("Sent, no answer yet"),
    "safe": _l("Answered: safe"),
    "need_help": _l("Answered: needs help"),
    "no_answer": _l("No answer"),
    "skipped": _l("Skipped"),
}

# The case timeline's events (bot/reports: CaseEvent.kind).
EVENTS = {
    "filed": _l("Report filed"),
    "assigned": _l("Assigned to a partner"),
    "acknowledged": _l("Acknowledged"),
    "status": _l("Status changed"),
    "referred": _l("Referred"),
    "relayed": _l("Message sent to the reporter"),
    "reporter_wrote": _l("The reporter wrote"),
    "unassigned": _l("No partner matched"),
    "escalated": _l("Escalated: not acknowledged in time"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "followup": _l("Follow-up"),
    "anonymised": _l("Anonymised"),
}

AGE_GROUPS = {"child": _l("Under 18"), "adult": _l("18 or older"), "unknown": _l("Not sure")}

CONTENT_STATUSES = {
    "missing": _l("missing"),
    "draft": _l("draft"),
    "needs-review": _l("needs review"),
    "published": _l("published"),
    "overdue": _l("overdue review"),
}


def label(table: Mapping[str, object], code: str | None) -> str:
    """The name of a code, or the code itself when the table does not know it."""
    if code is None:
        return "—"
    return str(table.get(code, code))
