"""Rewrite the single initial migration from the models (allowed until the first release ships).

Run: .venv/bin/python -m bot.storage.migrations.regenerate
After the first release, add revisions with `alembic revision --autogenerate` instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from bot.storage.db import alembic_config, make_engine

VERSIONS = Path(__file__).parent / "versions"


def main() -> None:
    for old in VERSIONS.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/empty.sqlite3")
        command.revision(
            alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001"
        )
    print("wrote", *sorted(p.name for p in VERSIONS.glob("*.py")))


if __name__ == "__main__":
    main()
