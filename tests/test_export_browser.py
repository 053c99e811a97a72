"""The html export as a person sees it: opened from disk in a real headless chromium with the
network off, the chart is drawn (its bars have a size and their colour is on the screen) and
no request leaves the page, not even for a name that tries to load an image."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from test_export import ORIGIN, build_case, exported, t

from warroom.export.chart import COLOURS
from warroom.incident import record
from warroom.journal import Journal
from warroom.model import Kind

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")

NETWORK_OFF = ["--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
               "--host-resolver-rules=MAP * ~NOTFOUND"]
LURE = '<img src="https://tracker.example/pixel.png"> <link rel=stylesheet href=//x.example/s>'


@pytest.fixture
def page_file(tmp_path):
    db, _ = build_case(tmp_path)
    with Journal(db) as j:   # outside text that would load something if it were obeyed
        record(j, Kind.REPOST_DETECTED, None, {"url": ORIGIN, "text": LURE}, at=t(14, 8))
    path = tmp_path / "review.html"
    path.write_bytes(exported(db, "html"))
    return path


def test_the_chart_renders_offline_and_nothing_is_requested(page_file):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=NETWORK_OFF)
        try:
            context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri(), wait_until="load")
            bars = page.locator("svg.chart rect.bar")
            assert bars.count() == 2
            for i in range(2):
                box = bars.nth(i).bounding_box()
                assert box and box["width"] > 20 and box["height"] > 10
            ticks = page.locator("svg.chart line.tick")
            assert ticks.count() > 5 and page.locator("svg.chart line.alarm").count() >= 1
            assert "tracker.example" in page.content()          # shown as text, not loaded
            drawn = page.locator("svg.chart").text_content()
            assert re.search(r"Not drawn: \d+ after this window \(1 alarm\)", drawn)
            assert page.locator("img, link[rel=stylesheet], script").count() == 0
            page.locator("svg.chart").scroll_into_view_if_needed()
            shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]
    want = tuple(int(COLOURS["down"][i:i + 2], 16) for i in (1, 3, 5))
    painted = sum(n for n, colour in shot.getcolors(1 << 24) if colour == want)
    assert painted > 500            # the bars' colour, on the screen
