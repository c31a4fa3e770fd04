"""Make samples/zj-2023.pdf from samples/zj-2023.txt, set as GB/T 9704-2012 prescribes.

reportlab with its built-in STSong-Light font (not embedded, so the file stays small); red
issuing-authority mark and rule, page numbers `— N —` (odd right, even left), PM2.5 set as a
subscript and the chapter headings in fake bold, as issued PDFs often are. Needs the test
extras (`pip install -e '.[test]'`). Run: `python samples/make_pdf.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdf_factory import Options, blocks_from_text, reportlab_pdf  # noqa: E402


def main() -> None:
    text = (ROOT / "samples" / "zj-2023.txt").read_text(encoding="utf-8")
    data = reportlab_pdf(blocks_from_text(text), Options(subscript=True, fake_bold=True))
    target = ROOT / "samples" / "zj-2023.pdf"
    target.write_bytes(data)
    print(f"wrote {target.relative_to(ROOT)} ({len(data) // 1024} KB)")


if __name__ == "__main__":
    main()
