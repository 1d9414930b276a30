"""`helpline content check|export|import|po-export|po-import`: keep the guidance library sound."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import IO

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy.orm import Session

from bot.content.docs import ContentDocs, load_docs
from bot.content.files import CONTENT_DIR
from bot.content.po import export_catalog, import_catalog, read_catalog, write_catalog
from bot.content.schema import Problem, check_all
from bot.storage.content_db import (
    export_to_files,
    import_files,
    load_docs_from_db,
    save_topic,
    sync_from_files,
)
from bot.storage.db import get_session

DIR = click.Path(file_okay=False, path_type=Path)


@click.group("content")
def content() -> None:
    """Guidance topics, hotlines and agency lists: the files, and the editors' copy in the DB."""


@content.command("check")
@click.option("--db", "from_db", is_flag=True, help="Check the database instead of the files.")
@click.option("--root", type=DIR, default=CONTENT_DIR, show_default=True, help="Content folder.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date reviews are due against.")
@click.option("--quiet", "-q", is_flag=True, help="List errors only; count the warnings.")
def check(from_db: bool, root: Path, today: datetime | None, quiet: bool) -> None:
    """List problems per file; exit 1 when there is an error (warnings alone pass)."""
    docs = _db_docs() if from_db else load_docs(root)
    problems = check_all(docs, today.date() if today else date.today(), _sms_budget(from_db))
    _print_problems(problems, quiet)
    errors = sum(p.level == "error" for p in problems)
    click.echo(f"{errors} errors, {len(problems) - errors} warnings")
    if errors:
        raise SystemExit(1)


@content.command("export")
@click.option("--to", "to", type=DIR, default=CONTENT_DIR, show_default=True)
@with_appcontext
def export(to: Path) -> None:
    """Write the database's content as YAML files (to review and commit the editors' changes)."""
    session = _loaded_session()
    paths = export_to_files(session, to)
    click.echo(f"wrote {len(paths)} files under {to}")


@content.command("import")
@click.option("--from", "source", type=DIR, default=CONTENT_DIR, show_default=True)
@click.option("--yes", is_flag=True, help="Overwrite the database's content without asking.")
@click.option("--force", is_flag=True, help="Import even when the files have errors.")
@with_appcontext
def import_(source: Path, yes: bool, force: bool) -> None:
    """Replace the database's content with the files (text history is kept)."""
    errors = [p for p in check_all(load_docs(source), date.today()) if p.level == "error"]
    if errors and not force:
        _print_problems(errors, quiet=True)
        raise click.ClickException(f"{len(errors)} errors in {source}; fix them or use --force")
    if not yes:
        click.confirm("Overwrite the editors' content in the database with the files?", abort=True)
    session = get_session()
    import_files(session, source, by="cli import")
    session.commit()
    click.echo(f"imported {source}")


@content.command("po-export")
@click.argument("lang")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="File (default stdout).")
@with_appcontext
def po_export(lang: str, output: IO[bytes]) -> None:
    """Write one language of every topic as a gettext catalog for translators."""
    session = _loaded_session()
    try:
        catalog = export_catalog(load_docs_from_db(session).topics, lang, _sms_budget(True))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="LANG") from exc
    write_catalog(catalog, output)


@content.command("po-import")
@click.argument("file", type=click.File("rb"))
@click.option("--lang", help="Language of the catalog (default: its Language header).")
@click.option("--publish", is_flag=True, help="Publish texts whose fuzzy flag was cleared.")
@with_appcontext
def po_import(file: IO[bytes], lang: str | None, publish: bool) -> None:
    """Read a translated catalog back into the database, each changed text as a new version."""
    session = _loaded_session()
    catalog = read_catalog(file)
    try:
        topics, changed = import_catalog(load_docs_from_db(session).topics, catalog, lang, publish)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    for slug in changed:
        save_topic(session, slug, topics[slug], by="po-import")
    session.commit()
    click.echo(f"updated {len(changed)} topics: {', '.join(changed) or 'none'}")


def _loaded_session() -> Session:
    # The files fill an empty database on first use, so every command sees the content.
    session = get_session()
    if sync_from_files(session):
        session.commit()
    return session


def _db_docs() -> ContentDocs:
    # `check` reads files without an app; only --db needs one, loaded as with_appcontext would.
    ctx = click.get_current_context()
    if not current_app:
        app = ctx.ensure_object(ScriptInfo).load_app()
        ctx.with_resource(app.app_context())
    return load_docs_from_db(_loaded_session())


def _sms_budget(with_app: bool) -> int:
    return int(current_app.config.get("SMS_BUDGET", 3)) if with_app and current_app else 3


def _print_problems(problems: list[Problem], quiet: bool) -> None:
    files: dict[str, list[Problem]] = {}
    for problem in problems:
        files.setdefault(problem.file, []).append(problem)
    for name, found in files.items():
        shown = [p for p in found if p.level == "error" or not quiet]
        if not shown:
            continue
        click.echo(name)
        for p in sorted(shown, key=lambda p: p.level != "error"):
            detail = p.where.split(":", 1)[1].strip() if ":" in p.where else ""
            click.echo(f"  {p.level:<7} {detail + ': ' if detail else ''}{p.message}")
