"""The conversation engine, as a person on a cheap phone experiences it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.effects import EmergencyShown, Forget, OptOut, Unanswered
from bot.core.engine import Engine
from bot.core.messages import SMS, TELEGRAM, Inbound
from bot.core.state import Conversation
from tests.person import T0, Person, shipped_engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shipped_engine()


def settled(
    engine: Engine, lang_line: str = "hello, I need information", country: str = "1"
) -> Person:
    person = Person(engine)
    person.says(lang_line)
    person.says(country)
    return person


def test_first_message_in_each_script_sets_the_language(engine: Engine) -> None:
    lines = {
        "my": "မင်္ဂလာပါ အလုပ်အကြောင်း မေးချင်တယ်",
        "km": "សួស្តី ខ្ញុំចង់សួរអំពីការងារ",
        "lo": "ສະບາຍດີ ຢາກຖາມເລື່ອງວຽກ",
        "th": "สวัสดีครับ อยากถามเรื่องงาน",
        "zh": "你好，我想问工作的事",
        "vi": "xin chào, tôi muốn hỏi về việc làm",
        "en": "hello, I want to ask about work",
    }
    for lang, line in lines.items():
        person = Person(engine)
        person.says(line)
        assert person.state.lang == lang, line


def test_zawgyi_first_message_is_read_as_burmese(engine: Engine) -> None:
    person = Person(engine)
    person.says("မဂၤလာပါ အလုပ္အေၾကာင္း ေမးခ်င္တယ္")
    assert person.state.lang == "my"


def test_unknown_script_gets_a_menu_in_every_script(engine: Engine) -> None:
    person = Person(engine)
    reply = person.says("??")
    for name in ("မြန်မာ", "ខ្មែរ", "ລາວ", "ไทย", "Tiếng Việt", "中文", "English"):
        assert name in reply
    person.says("၃")  # Lao, chosen with a Burmese digit
    assert person.state.lang == "lo"


@pytest.mark.parametrize("digit", ["1", "၁", "១", "໑", "๑", "１"])
def test_native_digits_answer_menus(engine: Engine, digit: str) -> None:
    person = Person(engine)
    person.says("hello, I need information")
    person.says(digit)
    assert person.state.country == "TH"


@pytest.mark.parametrize(
    "danger",
    ["help", "HELP!", "ကယ်ပါ", "ជួយផង", "ຊ່ວຍແດ່", "ช่วยด้วย", "cứu", "救命", "they locked me in"],
)
def test_danger_words_get_emergency_numbers_at_any_step(engine: Engine, danger: str) -> None:
    person = settled(engine)
    person.says("3")  # a stage menu
    reply = person.says(danger)
    assert any(isinstance(e, EmergencyShown) for e in person.last.effects)  # type: ignore[union-attr]
    assert "1300" in reply  # Thailand's verified trafficking and social-help line


def test_danger_in_the_very_first_message_comes_before_any_greeting(engine: Engine) -> None:
    person = Person(engine)
    reply = person.says("ကယ်ပါ")
    assert any(isinstance(e, EmergencyShown) for e in person.last.effects)  # type: ignore[union-attr]
    assert "1300" in reply.split("\n\n")[0]
    assert person.state.lang == "my"


def test_menu_and_back_work_from_anywhere(engine: Engine) -> None:
    person = settled(engine)
    person.says("3")
    person.says("1")
    assert person.state.at == "guidance.topic"
    person.says("BACK")
    assert person.state.at == "guidance.stage"
    person.says("0")
    assert person.state.at == "main.menu"


def test_stop_silences_until_start(engine: Engine) -> None:
    person = settled(engine)
    person.says("STOP")
    assert any(isinstance(e, OptOut) for e in person.last.effects)  # type: ignore[union-attr]
    assert person.says("hello?") == ""
    assert person.says("help") == ""
    assert "Welcome back" in person.says("START")
    assert not person.state.opted_out


def test_delete_forgets_everything(engine: Engine) -> None:
    person = settled(engine)
    reply = person.says("DELETE")
    assert any(isinstance(e, Forget) for e in person.last.effects)  # type: ignore[union-attr]
    assert "erased" in reply
    assert person.state.lang is None and person.state.country is None


def test_idle_conversation_restarts_gently_keeping_language_and_country(engine: Engine) -> None:
    person = settled(engine)
    person.says("3")
    reply = person.says("2", after=timedelta(hours=5))
    assert reply.startswith("Welcome back")
    assert person.state.at == "main.menu"
    assert (person.state.lang, person.state.country) == ("en", "TH")


def test_free_text_at_a_menu_is_a_question(engine: Engine) -> None:
    person = settled(engine)
    person.says("my employer keeps my passport and will not give it back")
    assert person.state.at == "guidance.topic"
    assert person.state.slots["topic"] == "document-confiscation"


def test_a_question_it_cannot_understand_goes_to_the_editors(engine: Engine) -> None:
    person = settled(engine)
    reply = person.says("qwerty zxcvb plomk")
    assert "did not understand" in reply or "Did you mean" in reply
    assert any(isinstance(e, Unanswered) for e in person.last.effects)  # type: ignore[union-attr]


def test_long_guidance_is_paged_with_more_over_sms_only(engine: Engine) -> None:
    person = settled(engine)
    person.says("my employer keeps my passport and will not give it back")
    if person.state.slots.get("pages"):
        before = len(person.state.slots["pages"])
        person.says("MORE")
        assert len(person.state.slots["pages"]) == before - 1
    telegram = Person(engine, TELEGRAM)
    telegram.says("hello, I need information")
    telegram.says("1")
    telegram.says("my employer keeps my passport and will not give it back")
    assert telegram.state.slots.get("pages") == []


def test_state_round_trips_through_json(engine: Engine) -> None:
    person = settled(engine)
    person.says("3")
    again = Conversation.from_dict(person.state.to_dict())
    assert again == person.state


def test_the_engine_never_changes_the_state_it_was_given(engine: Engine) -> None:
    state = Conversation(lang="en", country="TH", flow="main", node="menu")
    before = state.to_dict()
    engine.handle(state, Inbound("3", T0, SMS))
    assert state.to_dict() == before
