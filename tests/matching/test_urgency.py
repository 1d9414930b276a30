"""Every cry for help is caught, in every language, while questions about help are not alarms."""

from __future__ import annotations

import pytest

from bot.matching.urgency import danger_lists, is_urgent

URGENT = [
    # English, including typos and shouting
    "HELP",
    "help!!!",
    "please help",
    "somebody help me please",
    "my boss hits me every day",
    "they locked me in the factory",
    "the agent raped me",
    "i was kidnapped at the border",
    "i cant escape from this boat",
    "they force me to sleep with clients",
    "he said he will kill me",
    "i was kidnaped",
    "we are trapped in the compound",
    # Vietnamese, with and without accents
    "Cứu tôi với",
    "cuu em voi",
    "chủ đánh tôi",
    "bi danh dap hang ngay",
    "họ nhốt em trong phòng",
    "khong cho toi ve nha",
    "bị ép tiếp khách ở quán karaoke",
    "họ bán tôi sang đây",
    # Chinese
    "救命",
    "老板打我",
    "我被关在宿舍里",
    "他们不让我离开",
    # Thai
    "ช่วยด้วยค่ะ",
    "นายจ้างตีฉัน",
    "ถูกขังไว้ในห้อง",
    "หนีไม่ได้",
    # Lao
    "ຊ່ວຍແດ່",
    "ນາຍຈ້າງຕີຂ້ອຍ",
    "ຖືກຂັງຢູ່ໃນຫ້ອງ",
    # Khmer
    "ជួយខ្ញុំផង",
    "ថៅកែវាយខ្ញុំ",
    "គេមិនឲ្យខ្ញុំចេញក្រៅ",
    # Burmese, Unicode and Zawgyi
    "ကယ်ပါ",
    "ကယ္ပါ",
    "အလုပ်ရှင်က ရိုက်နှက်တယ်",
    "အလုပ္ရွင္က ရိုက္ႏွက္တယ္",
    "အပြင်ထွက်ခွင့်မပေးဘူး",
]

CALM = [
    "where is a safe place to stay",
    "i want to make a complaint about my agency",
    "can you help me find a job in thailand",
    "help me with my visa renewal",
    "what is the emergency number in malaysia",
    "how much is the broker fee",
    "i lost my passport",
    "the police arrested my husband",
    "my salary is late",
    "thank you",
    "ok",
    "1",
    "",
    "số điện thoại khẩn cấp",
    "nghiên cứu về lao động",
    "bạn tôi muốn đi làm ở Thái Lan",
    "tai khoan ngan hang bi khoa",
    "请打我电话",
    "紧急电话是多少",
    "เบอร์ฉุกเฉินคืออะไร",
    "ขอเบอร์สายด่วน",
    "ເບີໂທສຸກເສີນ",
    "លេខទូរស័ព្ទបន្ទាន់",
    "အရေးပေါ်ဖုန်းနံပါတ်",
    "ဓာတ်ပုံရိုက်တယ်",
]


@pytest.mark.parametrize("text", URGENT)
def test_danger_is_caught(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize("text", CALM)
def test_questions_are_not_alarms(text: str) -> None:
    assert not is_urgent(text)


def test_the_language_hint_never_hides_danger() -> None:
    assert is_urgent("ช่วยด้วย", lang="en")
    assert is_urgent("help me", lang="my")


def test_every_language_has_lists() -> None:
    lists = danger_lists()
    assert set(lists) == {"my", "km", "lo", "th", "vi", "zh", "en"}
    assert all(entry.phrases and entry.alone for entry in lists.values())
