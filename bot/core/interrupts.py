"""Words that work at every step, in every language: the global commands.

Rules:
- A command is the whole message (after normalising and folding), so "help" alone is HELP but
  "help me find a job" is a question; danger phrases are caught separately by bot.matching.urgency.
- Digits are already ASCII here, so "၀" and "0" are both MENU.
"""

from __future__ import annotations

import re

COMMANDS: dict[str, tuple[str, ...]] = {
    "MENU": ("0", "menu", "main menu", "မီနူး", "ម៉ឺនុយ", "ເມນູ", "เมนู", "菜单", "主菜单", "trang chu"),
    "BACK": (
        "back",
        "*",
        "နောက်သို့",
        "နောက်ပြန်",
        "ត្រឡប់",
        "ក្រោយ",
        "ກັບຄືນ",
        "ຖອຍຫຼັງ",
        "กลับ",
        "ย้อนกลับ",
        "quay lai",
        "tro lai",
        "返回",
        "上一步",
    ),
    "LANG": (
        "lang",
        "language",
        "ဘာသာ",
        "ဘာသာစကား",
        "ភាសា",
        "ພາສາ",
        "ภาษา",
        "ngon ngu",
        "语言",
    ),
    "COUNTRY": ("country", "နိုင်ငံ", "ប្រទេស", "ປະເທດ", "ประเทศ", "quoc gia", "国家"),
    "HELP": (
        "help",
        "sos",
        "info",
        "ကူညီပါ",
        "အကူအညီ",
        "ជួយ",
        "ជំនួយ",
        "ຊ່ວຍ",
        "ຊ່ວຍແດ່",
        "ช่วย",
        "ช่วยด้วย",
        "giup",
        "giup toi",
        "cuu",
        "帮助",
        "救命",
    ),
    "STOP": (
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "ရပ်",
        "ရပ်ပါ",
        "ឈប់",
        "ຢຸດ",
        "หยุด",
        "dung",
        "dung lai",
        "停止",
        "退订",
    ),
    "START": (
        "start",
        "/start",
        "unstop",
        "စတင်",
        "ចាប់ផ្តើម",
        "ເລີ່ມ",
        "เริ่ม",
        "bat dau",
        "开始",
    ),
    "DELETE": (
        "delete",
        "forget me",
        "delete me",
        "ဖျက်",
        "ဖျက်ပါ",
        "លុប",
        "ລຶບ",
        "ลบ",
        "ลบข้อมูล",
        "xoa",
        "xoa toi",
        "删除",
        "删除我",
    ),
    "SKIP": ("skip", "ကျော်", "ကျော်ပါ", "រំលង", "ຂ້າມ", "ข้าม", "bo qua", "跳过"),
    "MORE": ("more", "next", "ဆက်", "ဆက်ရန်", "បន្ត", "ຕໍ່", "ต่อ", "tiep", "更多", "继续"),
}

# Twilio's own opt-in words: only while opted out, since "yes" is ordinary elsewhere.
RESUBSCRIBE = ("yes",)

STATUS = re.compile(
    r"^(?:status|စစ်|ស្ថានភាព|ສະຖານະ|สถานะ|trang thai|状态)?\s*(R-[0-9A-Z]{4,8})$", re.I
)

_WORDS = {word: name for name, words in COMMANDS.items() for word in words}
_PUNCT = re.compile(r"[\s.!?。！？,，။၊]+$")


def command_in(folded: str) -> str | None:
    """The global command a whole (folded) message is, or None."""
    return _WORDS.get(_PUNCT.sub("", folded).strip())


def status_code(text: str) -> str | None:
    """The case code in "STATUS R-7K3Q" (or a bare "R-7K3Q"), upper-cased, or None."""
    found = STATUS.match(text.strip())
    return found.group(1).upper() if found else None
