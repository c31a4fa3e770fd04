"""The diff report and the timeline as a reader sees them: rendered by a real headless
Chromium (Debian's package, driven by Playwright; no browser is downloaded)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE
from tests.test_diff import next_year
from zhenv_parse import parse
from zhenv_parse.differ import diff, timeline
from zhenv_parse.model import NoticeDiff, Timeline
from zhenv_parse.report import render_html, render_markdown, render_timeline_html

CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep a headless Chromium off the network and out of the user's profile.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: What the page's inline style sheet paints tightened and loosened badges with.
TIGHTENED_BACKGROUND = "rgb(214, 245, 214)"
LOOSENED_BACKGROUND = "rgb(251, 217, 211)"


@pytest.fixture(scope="module")
def texts(sample_text: str) -> tuple[str, str]:
    return sample_text, next_year(sample_text)


@pytest.fixture(scope="module")
def result(texts: tuple[str, str]) -> NoticeDiff:
    return diff(parse(texts[0]), parse(texts[1]))


@pytest.fixture(scope="module")
def three_years(texts: tuple[str, str]) -> Timeline:
    third = (texts[1].replace("低于 25 微克", "低于 24 微克").replace("浙环发〔2024〕2号", "浙环发〔2025〕3号")
             .replace("2024 年全省生态环境保护工作要点", "2025 年全省生态环境保护工作要点"))
    return timeline([parse(texts[0]), parse(texts[1]), parse(third)])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's `chromium` package (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the `playwright` package (test extra) is missing")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield instance
        instance.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """Open a local page, recording every request it makes."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return page, requests


def _write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_html_is_self_contained(result: NoticeDiff, texts: tuple[str, str]) -> None:
    html = render_html(result, *texts)
    for resource in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        assert resource not in html


def test_report_renders_summary_and_targets(browser: Any, result: NoticeDiff,
                                            texts: tuple[str, str], tmp_path: Path) -> None:
    path = _write(tmp_path, "report.html", render_html(result, *texts))
    page, requests = _open(browser, path)
    assert requests == [path.as_uri()]  # nothing fetched besides the page itself
    summary = page.locator("#summary-table")
    assert summary.is_visible()
    items_row = summary.locator("tr", has_text="items").first.inner_text()
    assert "29" in items_row and "1" in items_row
    table = page.locator("#targets-table")
    assert table.is_visible() and table.bounding_box()["height"] > 100
    assert table.locator("tr.target").count() == len(result.targets) == 8
    pm = table.locator("tr.target", has_text="PM2.5平均浓度")
    assert "< 26 微克/立方米" in pm.inner_text() and "< 25 微克/立方米" in pm.inner_text()
    badge = pm.locator(".status")
    assert badge.inner_text() == "↑ tightened"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == TIGHTENED_BACKGROUND
    loose = table.locator("tr.target", has_text="重点建设用地").locator(".status")
    assert loose.inner_text() == "↓ loosened"
    assert loose.evaluate("e => getComputedStyle(e).backgroundColor") == LOOSENED_BACKGROUND
    page.close()


def test_items_side_by_side_with_word_highlights(browser: Any, result: NoticeDiff,
                                                 texts: tuple[str, str], tmp_path: Path) -> None:
    path = _write(tmp_path, "report.html", render_html(result, *texts))
    page, _ = _open(browser, path)
    row = page.locator("#items-table tr.item", has_text="开展臭氧污染防治专项攻坚")
    old_cell, new_cell = row.locator("td").nth(1), row.locator("td").nth(2)
    assert "1000" in old_cell.locator("del").all_inner_texts()[0]
    assert any("800" in text for text in new_cell.locator("ins").all_inner_texts())
    assert old_cell.locator("ins").count() == 0 and new_cell.locator("del").count() == 0
    # The new-side link lands on the item's span in the new document's full text.
    new_cell.locator("a.span-link").click()
    target = page.locator(":target")
    assert target.inner_text().startswith("14.开展臭氧污染防治专项攻坚")
    assert target.evaluate("e => e.closest('.doc').id") == "doc-new"
    page.close()


@pytest.mark.parametrize("with_sources", [True, False])
def test_every_link_has_its_target(browser: Any, result: NoticeDiff, texts: tuple[str, str],
                                   tmp_path: Path, with_sources: bool) -> None:
    html = render_html(result, *texts) if with_sources else render_html(result)
    page, _ = _open(browser, _write(tmp_path, f"r{with_sources}.html", html))
    missing = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href').slice(1))
        .filter(id => !document.getElementById(id))""")
    links = page.locator('a[href^="#"]').count()
    assert missing == [] and links > 2 * len(result.items)
    page.close()


def test_timeline_page_draws_a_chart_per_metric(browser: Any, three_years: Timeline,
                                                tmp_path: Path) -> None:
    path = _write(tmp_path, "timeline.html", render_timeline_html(three_years))
    page, requests = _open(browser, path)
    assert requests == [path.as_uri()]
    header = page.locator("#timeline-table tr").first.inner_text()
    assert "2023" in header and "2024" in header and "2025" in header
    numeric = [r for r in three_years.rows if any(c.value and c.value.value is not None
                                                  for c in r.cells)]
    charts = page.locator("svg.chart")
    assert charts.count() == len(numeric) and charts.first.is_visible()
    pm = page.locator("#timeline-table tr", has_text="PM2.5平均浓度")
    assert pm.locator("svg circle").count() == 3
    assert pm.locator(".status").all_inner_texts() == ["↑ tightened", "↑ tightened"]
    # Lower values sit lower in the chart: 26 > 25 > 24 left to right.
    ys = [float(c.get_attribute("cy")) for c in pm.locator("svg circle").all()]
    assert ys == sorted(ys)
    page.close()


def test_markdown_report(result: NoticeDiff) -> None:
    text = render_markdown(result)
    assert text.startswith("# 2023 浙环发〔2023〕1号 → 2024 浙环发〔2024〕2号")
    assert "| 安全利用率 | 重点建设用地 | > 95 % | ≥ 95 % | ↓ loosened |" in text
    assert "~~切实~~**全力**保障饮用水水源安全" in text
    assert "  - − 《浙江省土壤污染防治条例》" in text


def test_chromium_screenshot_without_playwright(result: NoticeDiff, tmp_path: Path) -> None:
    """The browser's own headless mode renders the page too (no driver in between)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's `chromium` package")
    path = _write(tmp_path, "report.html", render_html(result))
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}",
               f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1200,900", path.as_uri()]
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(command, capture_output=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    shot = (tmp_path / "shot.png").read_bytes()
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000  # a page, not a blank image
    shutil.rmtree(profile, ignore_errors=True)
