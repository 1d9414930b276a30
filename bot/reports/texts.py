"""What the reporter reads about their case: the reference code, STATUS answers, relay receipts.

Plain words, no jargon; a case is "your report", a partner "an organisation that helps".
"""

from __future__ import annotations

from bot.core.text import T

FILED = T(
    "report.filed",
    "Thank you. Your code is {code}. Send STATUS {code} any time to hear what is happening.",
)
NEXT_CONTACT = T(
    "report.next_contact",
    "An organisation that helps will write to you here. They never see your number.",
)
NEXT_NO_CONTACT = T(
    "report.next_no_contact",
    "As you asked, nobody will contact you.",
)
NEXT_URGENT = T(
    "report.next_urgent",
    "Someone may be in danger: they are told now.",
)

NOT_FOUND = T(
    "status.not_found",
    "We found no report with this code sent from this phone or chat. Please check the code.",
)
STATUS_WORDS = {
    "new": T("status.case", "{code}: we have your report and are finding the right organisation."),
    "assigned": T("status.case", "{code}: an organisation that helps has your report."),
    "acknowledged": T("status.case", "{code}: an organisation has read your report."),
    "in_progress": T("status.case", "{code}: an organisation is working on your report."),
    "referred": T(
        "status.case", "{code}: your report was passed to another organisation that can help."
    ),
    "closed": T(
        "status.case",
        "{code}: the organisation has finished with this report. To tell us something new, "
        "choose Report from the menu.",
    ),
}

RELAY_SENT = T("relay.sent", "Thank you. We passed your message on.")
RELAY_CLOSED = T(
    "relay.closed",
    "This conversation has ended. To tell us something new, choose Report from the menu.",
)
FOLLOWUP_SAFE = T("followup.safe", "Thank you. We are glad you are safe.")
FOLLOWUP_HELP = T(
    "followup.help",
    "We have told the organisation that you need help. They will write to you here.",
)
