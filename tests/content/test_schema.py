"""The content checks find what would make the bot say something wrong; work is a warning."""

from __future__ import annotations

from datetime import date

from bot.content.docs import ContentDocs
from bot.content.schema import Problem, check_all, phone_numbers

from .conftest import TODAY, text, topic


def errors(problems: list[Problem]) -> list[str]:
    return [f"{p.where} {p.message}" for p in problems if p.level == "error"]


def warnings(problems: list[Problem]) -> list[str]:
    return [f"{p.where} {p.message}" for p in problems if p.level == "warning"]


def only(found: list[str], needle: str) -> list[str]:
    return [f for f in found if needle in f]


def test_the_sample_library_has_no_errors(docs: ContentDocs) -> None:
    problems = check_all(docs, TODAY)
    assert errors(problems) == []
    # The Malaysian agency list is empty and one Thai hotline is unverified: work for editors.
    assert only(warnings(problems), "agencies/MY.yaml")
    assert only(warnings(problems), "not verified")


def test_unknown_and_missing_slugs_are_errors(docs: ContentDocs) -> None:
    docs.topics["made-up-topic"] = topic("made-up-topic")
    del docs.topics["remittances"]
    docs.topics["documents"]["slug"] = "docs"
    found = errors(check_all(docs, TODAY))
    assert only(found, "topics/made-up-topic.yaml unknown slug")
    assert only(found, "topics/remittances.yaml no topic file")
    assert only(found, "topics/documents.yaml slug 'docs' differs")


def test_missing_language_and_empty_text_are_errors(docs: ContentDocs) -> None:
    del docs.topics["documents"]["text"]["km"]
    docs.topics["report"]["text"]["lo"]["sms"] = " "
    docs.topics["report"]["text"]["th"]["title"] = ""
    found = errors(check_all(docs, TODAY))
    assert only(found, "topics/documents.yaml: text missing language km")
    assert only(found, "topics/report.yaml: text.lo.sms empty sms")
    assert only(found, "topics/report.yaml: text.th.title empty title")


def test_sms_over_budget_and_english_outside_gsm7_are_errors(docs: ContentDocs) -> None:
    docs.topics["documents"]["text"]["my"]["sms"] = "က" * 202  # 4 UCS-2 segments
    docs.topics["documents"]["text"]["en"]["sms"] = "Keep your passport \u2014 always."
    docs.topics["report"]["variants"] = {"TH": {"en": {"sms": "word " * 100}}}
    found = errors(check_all(docs, TODAY))
    assert only(found, "text.my.sms 4 SMS segments")
    assert only(found, "text.en.sms English SMS must be GSM-7")
    assert only(found, "variants.TH.en.sms")
    assert not only(errors(check_all(docs, TODAY, sms_budget=4)), "text.my.sms")


def test_phone_numbers_in_text_are_errors(docs: ContentDocs) -> None:
    docs.topics["documents"]["text"]["en"]["long"] = "Call +66 2 433 5149 today."
    docs.topics["report"]["text"]["th"]["sms"] = "โทร ๑๒๓๔ ได้ตลอด"  # Thai digits of hotline 1234
    found = errors(check_all(docs, TODAY))
    assert only(found, "documents.yaml: text.en.long phone number '+66 2 433 5149'")
    assert only(found, "report.yaml: text.th.sms phone number '๑๒๓๔'")


def test_years_amounts_and_dates_are_not_phone_numbers() -> None:
    known = {"1300", "191", "190"}
    text_ = "Since 2017 the fee is 1,300 baht (B.E. 2560), 2017-2018, due 2026-11-25, age 18."
    assert phone_numbers(text_, known) == []
    assert phone_numbers("ILO Convention No. 190 (C190), section 191", known) == []
    assert phone_numbers("call 1300 now", known) == ["1300"]
    assert phone_numbers("โทร1300 หรือ โทร.191", known) == ["1300", "191"]
    assert phone_numbers("1.300.000 đồng, 3,190", known) == []
    assert phone_numbers("or 081 234 5678", known) == ["081 234 5678"]


def test_references_to_nothing_are_errors(docs: ContentDocs) -> None:
    docs.topics["documents"]["hotline_kinds"] = ["labour", "made-up-kind"]
    docs.topics["documents"]["related"] = ["no-such-topic"]
    docs.topics["documents"]["stages"] = ["at-work", "someday"]
    docs.topics["report"]["text"]["vi"]["status"] = "approved"
    docs.topics["report"]["variants"] = {"THAILAND": {"en": {"sms": "x"}}}
    found = errors(check_all(docs, TODAY))
    assert only(found, "hotline_kinds kind 'made-up-kind': no hotline file has it")
    assert only(found, "related unknown slug 'no-such-topic'")
    assert only(found, "stages unknown stage 'someday'")
    assert only(found, "text.vi.status bad status 'approved'")
    assert only(found, "variants.THAILAND bad variant")


def test_a_defined_kind_without_numbers_is_only_a_warning(docs: ContentDocs) -> None:
    docs.topics["documents"]["hotline_kinds"] = ["health"]
    problems = check_all(docs, TODAY)
    assert not only(errors(problems), "health")
    assert only(warnings(problems), "no hotline of kind 'health' yet")


def test_unpublished_and_overdue_topics_are_warnings(docs: ContentDocs) -> None:
    docs.topics["documents"]["text"]["my"] = text("my", "documents", status="needs-review")
    docs.topics["documents"]["text"]["km"] = text("km", "documents", status="draft")
    docs.topics["report"]["review_every_days"] = 1
    problems = check_all(docs, TODAY)
    assert errors(problems) == []
    found = warnings(problems)
    assert only(found, "text.my.status needs-review")
    assert only(found, "text.km.status draft")
    assert only(found, "topics/report.yaml: reviewed_on review overdue by 5 days")
    assert not only(warnings(check_all(docs, date(2026, 11, 26))), "overdue")


def test_hotline_and_agency_problems(docs: ContentDocs) -> None:
    th = docs.hotlines["TH"]["entries"]
    th[0]["kind"] = "police"
    th[1]["id"] = th[2]["id"]
    th[3]["checked_on"] = None
    docs.agencies["TH"]["agencies"].append({"name": "No Licence Given"})
    problems = check_all(docs, TODAY)
    found = errors(problems)
    assert only(found, "unknown kind 'police'")
    assert only(found, "duplicate id")
    assert only(found, "verified without a checked_on date")
    assert only(found, "each agency needs a name and a licence number")
    assert only(warnings(problems), "agencies/MY.yaml no agencies listed")
