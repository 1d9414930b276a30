"""The database: an engine per app, a session per request or command, migrated on first use."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every table of the helpline."""

    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    """An engine tuned for its database: WAL and a busy timeout on SQLite, a pool on PostgreSQL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets the web processes read while one writes; foreign keys are off by default.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # pysqlite's own transaction handling lets a SAVEPOINT commit on its own, so a
            # rolled-back turn could leave its claimed key behind; SQLAlchemy's recipe: we BEGIN.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # transaction() writes, so it takes the write lock up front (IMMEDIATE): a deferred
            # transaction that reads and then writes fails at once with "database is locked" when
            # another writer got in between. Request sessions (admin pages) mostly read.
            immediate = conn.get_execution_options().get("helpline_immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        _GATES[engine] = WriterGate(engine.url.database)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def alembic_config(engine: Engine) -> AlembicConfig:
    """Alembic pointed at our migrations and at this engine, with no alembic.ini needed."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    command.upgrade(alembic_config(engine), "head")


def init_app(app: Flask) -> None:
    """Create the engine, migrate on first use, and close the request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    if app.config.get("AUTO_MIGRATE", True):
        migrate(engine)
    app.extensions["helpline.engine"] = engine
    app.extensions["helpline.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The app's engine."""
    engine: Engine = (app or current_app).extensions["helpline.engine"]
    return engine


def new_session(app: Flask | None = None) -> Session:
    """A fresh session the caller owns (workers, background jobs)."""
    maker: sessionmaker[Session] = (app or current_app).extensions["helpline.sessionmaker"]
    return maker()


def get_session() -> Session:
    """The session of the current app context, created on first use (flaskr's get_db)."""
    if "db_session" not in g:
        g.db_session = new_session()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the context's session; an uncommitted transaction is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def transaction(app: Flask | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    session = new_session(app)
    gate = _GATES.get(get_engine(app))
    with gate.held() if gate else nullcontext():
        try:
            with session.begin():
                if gate:
                    session.connection(execution_options={"helpline_immediate": True})
                yield session
        finally:
            session.close()


_GATES: weakref.WeakKeyDictionary[Engine, WriterGate] = weakref.WeakKeyDictionary()


class WriterGate:
    """SQLite's single writer, queued for in the open: threads on a lock, processes on flock.

    Waiting in SQLite's busy handler means sleeping in steps of up to 100 ms while the lock may
    already be free; under load the lock then idles between writers and unlucky ones starve
    for seconds. Here a waiter wakes the moment the writer before it is done.
    """

    def __init__(self, database: str | None) -> None:
        self.path = f"{database}.writer-lock" if database and database != ":memory:" else None
        self.lock = threading.RLock()
        self.local = threading.local()
        self.fd: int | None = None
        self.pid = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.lock:
            depth = getattr(self.local, "depth", 0)
            fd = self._fd() if depth == 0 else None
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            self.local.depth = depth + 1
            try:
                yield
            finally:
                self.local.depth = depth
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)

    def _fd(self) -> int | None:
        if self.path is None:
            return None
        if self.fd is None or self.pid != os.getpid():
            # A forked child must not share its parent's open file (flock is per open file).
            self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self.fd
