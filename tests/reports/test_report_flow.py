"""The report flow in the pure engine: every step skippable, danger at any step, nothing
identifying asked or kept, information without a report, and the answers to our own messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.effects import FileReport, FollowUpAnswer, RelayAnswer
from bot.core.engine import Engine
from bot.flows.report import CATEGORIES, report
from tests.person import Person as BasePerson
from tests.person import shipped_engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shipped_engine()


class Person(BasePerson):
    """A person who files reports."""

    def filed(self) -> dict:  # type: ignore[type-arg]
        assert self.last is not None
        found = [e for e in self.last.effects if isinstance(e, FileReport)]
        assert len(found) == 1, self.last.effects
        return found[0].answers


def reporting(engine: Engine) -> Person:
    person = Person(engine)
    for line in ["hello", "7", "1", "4"]:
        person.says(line)
    intro = person.says("2")
    assert "reporting carries no penalty" in intro and "You decide" in intro
    return person


def test_every_answer_is_kept_and_filed(engine: Engine) -> None:
    person = reporting(engine)
    for line in ["1", "1", "2", "2", "2", "Chon Buri", "3", "1", "1"]:
        person.says(line)
    assert person.state.at == "report.describe"
    person.says("The boss has not paid 40 of us for 3 months, 150000 baht.")
    assert person.filed() == {
        "category": "unpaid-wages",
        "danger": False,
        "for_self": False,
        "country": "MY",
        "province": "Chon Buri",
        "people": "6+",
        "age_group": "child",
        "contact_ok": True,
        "text": "The boss has not paid 40 of us for 3 months, 150000 baht.",
        "urgent": False,
        "lang": "en",
        "channel": "sms",
    }
    assert person.state.at == "main.menu"
    assert not [k for k in person.state.slots if k.startswith("report.") or k == "urgent"]


def test_every_step_can_be_skipped_and_consent_defaults_to_no(engine: Engine) -> None:
    person = reporting(engine)
    for _ in range(10):
        person.says("SKIP")
    assert person.filed() == {
        "urgent": False,
        "country": "TH",
        "contact_ok": False,
        "lang": "en",
        "channel": "sms",
    }


def test_the_skip_option_is_numbered_at_every_menu_step(engine: Engine) -> None:
    person = reporting(engine)
    prompts = []
    while person.state.at != "report.describe":
        node = person.state.node
        prompt = person.last.replies[-1] if person.last else None
        prompts.append(node)
        keys = [c.key for c in prompt.choices if c.label == "Skip"]
        if node not in ("what", "purpose"):  # the long first list, and "pass it on" the default
            assert keys or not prompt.choices, node
        person.says(keys[0] if keys else "SKIP")
    assert prompts == [
        "what",
        "purpose",
        "danger",
        "whom",
        "where",
        "province",
        "count",
        "age",
        "consent",
    ]


def test_danger_words_at_any_step_make_it_urgent_and_show_numbers_first(engine: Engine) -> None:
    person = reporting(engine)
    person.says("5")
    shown = person.says("they beat me and locked the door")  # at "what would you like"
    assert "If you are in danger now, call" in shown
    assert person.state.at == "report.purpose"  # the step goes on
    for line in ["1", "2", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP", "please come"]:
        person.says(line)
    answers = person.filed()
    assert answers["urgent"] is True and answers["danger"] is False
    assert answers["notes"] == "they beat me and locked the door"


def test_words_at_a_numbered_step_are_kept_as_notes_redacted(engine: Engine) -> None:
    person = reporting(engine)
    asked = person.says("my boss took my passport MB1234567, call me 0812345678")
    assert asked.startswith("Thank you, noted. Please reply with a number, or SKIP.")
    assert person.state.at == "report.what"
    assert person.state.slots["report.notes"] == (
        "my boss took my passport [id], call me [number]"
    )


def test_the_stored_state_never_holds_a_number_typed_in_free_text(engine: Engine) -> None:
    person = reporting(engine)
    for line in ["1", "1", "2", "1", "1"]:
        person.says(line)
    person.says("Mae Sot, near ๐๘๑๒๓๔๕๖๗๘")
    assert "0812345678" not in str(person.state.to_dict())
    assert person.state.slots["report.province"] == "Mae Sot, near [number]"


def test_a_voice_note_is_not_taken_as_an_answer(engine: Engine) -> None:
    person = reporting(engine)
    assert "in words" in person.says("", media=True)
    assert person.state.at == "report.what"
    assert not person.last.effects


def test_i_only_want_information_leads_to_guidance_and_files_nothing(engine: Engine) -> None:
    person = reporting(engine)
    person.says("1")  # unpaid wages
    person.says("2")  # only information
    assert person.state.flow in ("guidance", "main")
    assert not any(isinstance(e, FileReport) for e in person.last.effects)
    assert not [k for k in person.state.slots if k.startswith("report.")]


def test_the_flow_never_asks_for_a_name_or_a_document(engine: Engine) -> None:
    person = reporting(engine)
    said = []
    while person.state.at != "main.menu":
        said.append(person.says("SKIP"))
    text = " ".join(said).lower()
    for asked in ("your name", "passport number", "id number", "your phone", "address"):
        assert asked not in text
    assert "police" not in text


def test_categories_cover_labour_complaints() -> None:
    assert {"unpaid-wages", "dismissal"} <= set(CATEGORIES)
    assert set(report.nodes) >= {"relay", "followup", "need_help"}


# -- the answers to our own messages -----------------------------------------------------------
def waiting(engine: Engine, node: str, hours: int = 72) -> Person:
    person = Person(engine)
    for line in ["hello", "7", "1"]:
        person.says(line)
    person.state.flow, person.state.node = "report", node
    person.state.slots.update(
        case="R-7K3Q", open_until=(person.clock + timedelta(hours=hours)).isoformat()
    )
    return person


def test_a_relay_answer_days_later_goes_to_the_case(engine: Engine) -> None:
    person = waiting(engine, "relay")
    person.says("I can talk tomorrow", after=timedelta(hours=30))
    assert person.last.effects == [RelayAnswer("R-7K3Q", "I can talk tomorrow")]
    assert person.state.at == "report.relay"
    menu = person.says("MENU")
    assert menu.startswith("Menu") and not person.last.effects


def test_a_relay_past_its_time_restarts_gently(engine: Engine) -> None:
    person = waiting(engine, "relay", hours=2)
    assert person.says("hello?", after=timedelta(hours=5)).startswith("Welcome back")
    assert not any(isinstance(e, RelayAnswer) for e in person.last.effects)


def test_follow_up_answers(engine: Engine) -> None:
    safe = waiting(engine, "followup")
    safe.says("1", after=timedelta(hours=5))
    assert safe.last.effects == [FollowUpAnswer("R-7K3Q", safe=True)]
    assert safe.state.at == "main.menu"

    help_ = waiting(engine, "followup")
    shown = help_.says("2", after=timedelta(hours=5))
    assert help_.last.effects[0] == FollowUpAnswer("R-7K3Q", safe=False)
    assert "If you are in danger now, call" in shown and help_.state.at == "report.relay"

    danger = waiting(engine, "followup")
    danger.says("they hit me again")
    assert FollowUpAnswer("R-7K3Q", safe=False) in danger.last.effects
