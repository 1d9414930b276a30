"""Shared fixtures: an app on a fresh, migrated database per test (SQLite, or PostgreSQL when
HELPLINE_TEST_DATABASE names a server), its test client and CLI runner.

Each test gets its own database copied from a template migrated once per session, so tests
never see each other's rows and the migrations themselves are exercised on both databases.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from bot import create_app
from bot.content_source import ensure_loaded
from bot.storage.db import make_engine, migrate

PG_URL = os.environ.get("HELPLINE_TEST_DATABASE", "")
TEST_KEYS = {
    "SECRET_KEY": "test-secret",
    "PSEUDONYM_KEY": "test-pseudonym-key",
    "VAULT_KEY": Fernet.generate_key().decode(),
}


def prepare(engine: Engine) -> None:
    """Migrates a template database and loads the shipped content, as first use would."""
    migrate(engine)
    with Session(engine) as session, session.begin():
        ensure_loaded(session)
    engine.dispose()


class Databases:
    """Hands out fresh databases cloned from one migrated template."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.counter = itertools.count()
        self.created: list[str] = []
        self.tag = f"hl{os.getpid()}"
        if PG_URL:
            self.admin = create_engine(
                PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                isolation_level="AUTOCOMMIT",
            )
            self._pg(f"DROP DATABASE IF EXISTS {self.tag}_tmpl")
            self._pg(f"CREATE DATABASE {self.tag}_tmpl")
            engine = make_engine(self._pg_url(f"{self.tag}_tmpl"))
            prepare(engine)
        else:
            self.template = tmp / "template.sqlite3"
            prepare(make_engine(f"sqlite:///{self.template}"))

    def _pg(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _pg_url(self, name: str) -> str:
        return PG_URL.rsplit("/", 1)[0] + "/" + name

    @property
    def kind(self) -> str:
        return "postgresql" if PG_URL else "sqlite"

    def fresh(self) -> str:
        """The URL of a new database holding the migrated, empty schema."""
        n = next(self.counter)
        if PG_URL:
            name = f"{self.tag}_{n}"
            self._pg(f"DROP DATABASE IF EXISTS {name}")
            self._pg(f"CREATE DATABASE {name} TEMPLATE {self.tag}_tmpl")
            self.created.append(name)
            return self._pg_url(name)
        path = self.tmp / f"db{n}.sqlite3"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        if PG_URL:
            name = url.rsplit("/", 1)[1]
            self._pg(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            self._pg(f"DROP DATABASE IF EXISTS {name}")

    def close(self) -> None:
        if PG_URL:
            self._pg(f"DROP DATABASE IF EXISTS {self.tag}_tmpl")
            self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.close()


@pytest.fixture
def db_url(databases: Databases) -> Iterator[str]:
    """A fresh migrated database for this test."""
    url = databases.fresh()
    yield url
    databases.drop(url)


def make_test_app(db_url: str, **overrides: Any) -> Flask:
    """An app configured for tests: fixed keys and the given database."""
    return create_app({"TESTING": True, "DATABASE_URL": db_url, **TEST_KEYS, **overrides})


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    app = make_test_app(db_url)
    yield app
    from bot.storage.db import get_engine

    get_engine(app).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/transcripts/*.txt with the replies the engine gives now",
    )
