"""JSON Schema of the model, generated from it. `python -m zhenv_parse.schema --write`
refreshes `schemas/notice.schema.json`; a test fails when the committed file differs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .model import Notice

#: Where the committed schema lives, relative to the repository root.
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "notice.schema.json"
#: The schema's `$id`.
SCHEMA_ID = "https://zhenv-parse.invalid/schemas/notice.schema.json"


def notice_schema() -> dict[str, object]:
    schema = Notice.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def notice_schema_text() -> str:
    return json.dumps(notice_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


#: The schema of a diff of two notices (`zhenv_parse.diff`), and its `$id`.
DIFF_SCHEMA_PATH = SCHEMA_PATH.parent / "notice_diff.schema.json"
DIFF_SCHEMA_ID = "https://zhenv-parse.invalid/schemas/notice_diff.schema.json"


def notice_diff_schema_text() -> str:
    from .model import NoticeDiff

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": DIFF_SCHEMA_ID,
              **NoticeDiff.model_json_schema(mode="serialization")}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


#: The field reference, generated from the models' descriptions.
MODEL_DOC_PATH = SCHEMA_PATH.parent.parent / "docs" / "model.md"
#: An example for the reference: the sample's chapter 4 with its first item, as JSON.
EXAMPLE_SAMPLE = SCHEMA_PATH.parent.parent / "samples" / "zj-2023.txt"


def model_markdown() -> str:
    """docs/model.md: every model of zhenv_parse.model, every field, with an example."""
    from pydantic import BaseModel

    from . import model

    lines = ["# The data model", "",
             "Generated from `zhenv_parse/model.py` by `python -m zhenv_parse.schema --write`; "
             "do not edit by hand. The JSON Schema is `schemas/notice.schema.json`.", ""]
    classes = [value for value in vars(model).values() if isinstance(value, type)
               and issubclass(value, BaseModel) and value.__module__ == model.__name__
               and not value.__name__.startswith("_")]
    for cls in classes:
        lines += [f"## `{cls.__name__}`", "", (cls.__doc__ or "").strip().split("\n")[0], "",
                  "| field | type | description |", "|---|---|---|"]
        for name, field in cls.model_fields.items():
            annotation = str(field.annotation).replace("typing.", "").replace("zhenv_parse.model.", "")
            annotation = annotation.replace("datetime.", "").replace("<class '", "").replace("'>", "")
            description = (field.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{name}` | `{annotation}` | {description} |")
        lines.append("")
    lines += ["## Example", "", "Chapter 4 of the sample with its second item "
              "(`parse(\"samples/zj-2023.txt\").chapters[3]`, items cut to item 12):", "", "```json",
              _example(), "```", ""]
    return "\n".join(lines)


def _example() -> str:
    from .pipeline import parse

    chapter = parse(EXAMPLE_SAMPLE).chapters[3]
    data = chapter.model_dump(mode="json")
    data["items"] = data["items"][1:2]
    return json.dumps(data, ensure_ascii=False, indent=2)


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(notice_schema_text(), encoding="utf-8")
        DIFF_SCHEMA_PATH.write_text(notice_diff_schema_text(), encoding="utf-8")
        MODEL_DOC_PATH.write_text(model_markdown(), encoding="utf-8")
        return 0
    sys.stdout.write(notice_schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
