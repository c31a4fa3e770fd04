"""Bad input gets a typed error or diagnostics, never anything else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenv_parse import NoticeParseError, parse
from zhenv_parse.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputNotFoundError,
    NotANoticeError,
)


@pytest.mark.parametrize("data, error", [
    (b"", EmptyInputError),
    (b"   \n\r\n\t ", EmptyInputError),
    (bytes(range(256)) * 8, BinaryInputError),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), BinaryInputError),
    (b"\xff\xfe" + b"\x00\xd8" * 3, EncodingError),  # UTF-16 BOM, then an unpaired surrogate
    ("这是一段普通的文字，没有任何公文的结构。".encode(), NotANoticeError),
])
def test_bad_bytes_raise_typed_errors(data: bytes, error: type[NoticeParseError],
                                      tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    with pytest.raises(error) as caught:
        parse(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no such file"):
        parse(tmp_path / "absent.txt")
    with pytest.raises(InputNotFoundError, match="directory"):
        parse(tmp_path)


def test_cli_reports_one_line_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "zhenv_parse.cli", "parse", str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "input is empty" in result.stderr and "Traceback" not in result.stderr


def test_truncated_notice_is_parsed_with_a_diagnostic(sample_text: str) -> None:
    notice = parse(sample_text[: len(sample_text) // 3])
    assert len(notice.chapters) >= 3
    assert all(item.no == index for index, item in enumerate(notice.items, 1))


def test_numbering_gap_and_count_mismatch_are_reported(sample_text: str) -> None:
    text = sample_text.replace("\n13.实施空气质量", "\n15.实施空气质量").replace(
        "（12项）", "（13项）")
    codes = [d.code for d in parse(text).diagnostics]
    assert "numbering-gap" in codes and "numbering-repeat" in codes
    assert "declared-count-mismatch" in codes


SAMPLE_LINES = (Path(__file__).resolve().parent.parent / "samples" / "zj-2023.txt").read_text(
    encoding="utf-8").split("\n")


@st.composite
def mutated_sample(draw: st.DrawFn) -> str:
    """Lines of the sample, shuffled, dropped, cut and spliced with random text."""
    lines = draw(st.lists(st.sampled_from(SAMPLE_LINES), max_size=40))
    noise = draw(st.lists(st.text(max_size=30), max_size=8))
    cut = draw(st.integers(min_value=0, max_value=40))
    mixed = lines + noise
    draw(st.randoms()).shuffle(mixed)
    return "\n".join(line[cut:] if i % 3 == 0 else line for i, line in enumerate(mixed))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), mutated_sample(), st.binary(max_size=300)))
def test_parser_raises_nothing_but_its_own_errors(data: str | bytes) -> None:
    try:
        notice = parse(data)
    except NoticeParseError:
        return
    source = data if isinstance(data, str) else None
    for item in notice.items:
        assert 0 <= item.span.start <= item.span.end
        if source is not None:
            assert source[item.span.start:item.span.end] == item.raw
