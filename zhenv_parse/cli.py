"""The `zhenv-parse` command. Heavy modules are imported inside commands, so that
`zhenv-parse --help` starts fast and loads neither jieba nor pdfplumber."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__

if TYPE_CHECKING:
    from .model import Notice


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhenv-parse")
def main() -> None:
    """Turn Chinese government work-plan notices into typed, validated data."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "xml", "akn"]), default="json",
              show_default=True, help="Output format: JSON, the project's XML, or Akoma Ntoso.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")
def parse(file: Path, fmt: str, output: Path | None) -> None:
    """Parse FILE (a notice) and print it as JSON, XML or Akoma Ntoso."""
    from .errors import NoticeParseError
    from .export import atomic_write_bytes
    from .pipeline import parse as parse_notice

    try:
        notice = parse_notice(file)
    except NoticeParseError as error:
        raise click.ClickException(f"{error} [{error.code}]") from None
    data = _render(notice, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(output, data)
    errors = [d for d in notice.diagnostics if d.level == "error"]
    for diagnostic in errors:
        click.echo(f"{file}: error: {diagnostic.code}: {diagnostic.message}", err=True)


def _render(notice: Notice, fmt: str) -> bytes:
    if fmt == "xml":
        return notice.to_xml()
    if fmt == "akn":
        from .xml_export import to_akn

        return to_akn(notice)
    return notice.to_json().encode("utf-8")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
def targets(file: Path, fmt: str) -> None:
    """List FILE's targets and quantities, one row each, for spreadsheets."""
    from .errors import NoticeParseError
    from .pipeline import parse as parse_notice
    from .tables import target_table, write_table

    try:
        notice = parse_notice(file)
    except NoticeParseError as error:
        raise click.ClickException(f"{error} [{error.code}]") from None
    write_table(target_table(notice), fmt, sys.stdout)


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if the committed schema is out of date.")
def schema(check: bool) -> None:
    """Print (or check) the JSON Schema of the Notice model."""
    from .schema import SCHEMA_PATH, notice_schema_text

    text = notice_schema_text()
    if check:
        if not SCHEMA_PATH.is_file() or SCHEMA_PATH.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{SCHEMA_PATH} is out of date; run "
                                       "`python -m zhenv_parse.schema --write`")
        return
    sys.stdout.write(text)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="Output folder; mirrors the input tree and holds manifest.jsonl.")
@click.option("--format", "formats", default="json", show_default=True,
              help="Comma-separated output formats: json, xml, akn.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's cores).")
@click.option("--force", is_flag=True, help="Redo inputs that are unchanged since the last run.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failed input.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on Dask: a scheduler address (tcp://…) or `local` for a LocalCluster.")
def convert(inputs: tuple[str, ...], out_dir: Path, formats: str, jobs: int | None, force: bool,
            fail_fast: bool, scheduler: str | None) -> None:
    """Convert INPUTS (files, folders, globs) into DIR, resumably; exit 1 if any file failed."""
    from .batch import BatchError
    from .batch import convert as convert_batch
    from .batch_progress import progress_for

    progress, stop = progress_for()
    try:
        result = convert_batch(inputs, out_dir, formats=[f.strip() for f in formats.split(",")],
                               jobs=jobs, force=force, fail_fast=fail_fast, scheduler=scheduler,
                               progress=progress)
    except BatchError as error:
        raise click.ClickException(str(error)) from None
    finally:
        stop()
    for argument in result.unmatched:
        click.echo(f"warning: {argument}: no such file or folder", err=True)
    for record in result.records:
        if record.status == "failed" and record.error is not None:
            click.echo(f"failed: {record.error['message']} [{record.error['code']}]", err=True)
    click.echo(result.summary(), err=True)
    if result.interrupted:
        sys.exit(130)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")
def diff(old: Path, new: Path, fmt: str, output: Path | None) -> None:
    """What changed from OLD to NEW (notices, or their JSON/XML exports)."""
    from .differ import compare, load_notice
    from .errors import NoticeParseError
    from .export import atomic_write_text
    from .report import render_html, render_markdown

    try:
        old_side, new_side = load_notice(old), load_notice(new)
    except NoticeParseError as error:
        raise click.ClickException(f"{error} [{error.code}]") from None
    result = compare(old_side, new_side)
    if fmt == "json":
        text = result.to_json()
    elif fmt == "md":
        text = render_markdown(result)
    else:
        text = render_html(result, old_side.text, new_side.text)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
    for diagnostic in result.diagnostics:
        if diagnostic.level != "info":
            click.echo(f"{diagnostic.level}: {diagnostic.code}: {diagnostic.message}", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "html", "json"]), default="csv",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")
def timeline(files: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Targets across the years of FILES (three or more), one row per metric."""
    from .differ import timeline as build_timeline
    from .errors import NoticeParseError
    from .export import atomic_write_text
    from .report import render_timeline_html, timeline_csv

    if len(files) < 2:
        raise click.UsageError("give the notices of at least two years (three or more is usual)")
    try:
        line = build_timeline(files)
    except NoticeParseError as error:
        raise click.ClickException(f"{error} [{error.code}]") from None
    text = {"csv": lambda: timeline_csv(line), "html": lambda: render_timeline_html(line),
            "json": lambda: line.model_dump_json(indent=2) + "\n"}[fmt]()
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)


if __name__ == "__main__":  # pragma: no cover
    main()
