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


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(notice_schema_text(), encoding="utf-8")
        return 0
    sys.stdout.write(notice_schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
