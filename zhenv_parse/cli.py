"""The `zhenv-parse` command. Heavy modules are imported inside commands, so that
`zhenv-parse --help` starts fast and loads neither jieba nor pdfplumber."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhenv-parse")
def main() -> None:
    """Turn Chinese government work-plan notices into typed, validated data."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")
def parse(file: Path, fmt: str, output: Path | None) -> None:
    """Parse FILE (a notice) and print it as JSON."""
    from .errors import NoticeParseError
    from .export import atomic_write_text
    from .pipeline import parse as parse_notice

    try:
        notice = parse_notice(file)
    except NoticeParseError as error:
        raise click.ClickException(f"{error} [{error.code}]") from None
    text = notice.to_json()
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
    errors = [d for d in notice.diagnostics if d.level == "error"]
    for diagnostic in errors:
        click.echo(f"{file}: error: {diagnostic.code}: {diagnostic.message}", err=True)


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


if __name__ == "__main__":  # pragma: no cover
    main()
