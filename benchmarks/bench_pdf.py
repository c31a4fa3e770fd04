"""PDF reading speed, measured in one run on the sample PDFs (best of N, wall clock).

For each PDF: raw text extraction by pdfplumber (default `extract_text`), pdfplumber as it
would have to be configured for these files (`dedupe_chars` + `use_text_flow`), pypdfium2's
raw text (`get_text_range`), this package's reading stage (`readers.pdf.from_bytes`: text,
positions, paragraphs, furniture) and the full `parse()`. Prints times and ratios; the target
is the reading stage within 1.3x of the fastest extraction. Run: `python benchmarks/bench_pdf.py`.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhenv_parse import parse  # noqa: E402
from zhenv_parse.readers import pdf as pdf_reader  # noqa: E402

REPEATS = 41
SLOW_REPEATS = 3


def plumber_default(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return "\n".join(page.extract_text() for page in document.pages)


def plumber_configured(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return "\n".join(page.dedupe_chars().extract_text(use_text_flow=True)
                         for page in document.pages)


def pdfium_raw(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def reading_stage(data: bytes) -> str:
    return pdf_reader.from_bytes(data, path=None).text


def full_parse(data: bytes) -> str:
    return parse(data).meta.title or ""


def timings(methods: dict[str, Callable[[bytes], str]],
            data: bytes) -> tuple[dict[str, float], list[float]]:
    """Best time of each method, the methods interleaved round by round so that load from
    other processes hits them alike; pdfplumber, 20-40x slower, gets fewer rounds. Also the
    ratio of the reading stage to pypdfium2's raw text within each round (paired: a burst of
    load slows both)."""
    best = {label: float("inf") for label in methods}
    paired: list[float] = []
    for round_no in range(REPEATS):
        spent: dict[str, float] = {}
        for label, function in methods.items():
            if label.startswith("pdfplumber") and round_no >= SLOW_REPEATS:
                continue
            start = time.perf_counter()
            function(data)
            spent[label] = time.perf_counter() - start
            best[label] = min(best[label], spent[label])
        paired.append(spent["zhenv reading stage"] / spent["pypdfium2 raw text"])
    return best, paired


def pdfs() -> dict[str, bytes]:
    from tests import pdf_factory as pf

    found = {"samples/zj-2023.pdf": (ROOT / "samples" / "zj-2023.pdf").read_bytes()}
    blocks = pf.blocks_from_text((ROOT / "samples" / "zj-2023.txt").read_text(encoding="utf-8"))
    found["reportlab 2-up"] = pf.reportlab_pdf(blocks, pf.Options(two_up=True, subscript=True))
    found["reportlab, digits in Times (Word-like)"] = pf.reportlab_pdf(
        blocks, pf.Options(latin_font="Times-Roman", subscript=True))
    if pf.WQY_FONT.is_file():
        found["fpdf2 embedded TTF"] = pf.fpdf_pdf(blocks, pf.Options(subscript=True))
    return found


def main() -> None:
    methods = {"pdfplumber default": plumber_default, "pdfplumber configured": plumber_configured,
               "pypdfium2 raw text": pdfium_raw, "zhenv reading stage": reading_stage,
               "zhenv full parse()": full_parse}
    parse(ROOT / "samples" / "zj-2023.txt")  # warm imports and regex caches
    for name, data in pdfs().items():
        print(f"\n{name} ({len(data) // 1024} KB)")
        times, paired = timings(methods, data)
        fastest = min(times["pypdfium2 raw text"], times["pdfplumber default"],
                      times["pdfplumber configured"])
        for label, seconds in times.items():
            print(f"  {label:24s} {seconds * 1000:8.1f} ms  {seconds / fastest:6.2f}x fastest extraction")
        ratio = times["zhenv reading stage"] / fastest
        print(f"  reading stage / fastest extraction = {ratio:.2f}x (target <= 1.3x); "
              f"median of {len(paired)} paired rounds {statistics.median(paired):.2f}x")


if __name__ == "__main__":
    main()
