"""Case reference codes such as R-7K3Q: short, unique, and hard to misread or mistype."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Case

# No 0/O/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V: letters people confuse when reading or typing them.
ALPHABET = "ACEFHJKMNPQRTWXY3479"
LENGTH = 4
PREFIX = "R-"


def new_code(length: int = LENGTH) -> str:
    """A random code; uniqueness is checked by `unique_code`."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(length))


def unique_code(session: Session) -> str:
    """A code no case has yet; longer codes once the short ones get crowded."""
    length = LENGTH
    while True:
        for _ in range(8):
            code = new_code(length)
            if session.scalar(select(Case.id).where(Case.code == code)) is None:
                return code
        length += 1
