"""The intake page as an advocate meets it: a real headless Chromium (Debian's `chromium`,
installed by .ci/run) driven by playwright against the real server on 127.0.0.1. It fills
the tip form and reads the receipt, looks a client up, and is refused with a wrong token;
every control has its label, and the page asks nothing of any other host."""

from __future__ import annotations

import shutil

import pytest

from warroom.journal import Journal, queries

from intakeserve import prepared, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not shutil.which(CHROMIUM):
    pytest.skip("Debian's chromium is not installed here (`apt-get install -y chromium`;"
                " .ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    setup = prepared(tmp_path_factory.mktemp("browser") / "journal.db", people=6)
    with serving(setup.db) as url:
        yield setup, url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    _, url = site
    context = browser.new_context()
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()
    assert page.requests and all(u.startswith(url + "/") for u in page.requests), page.requests


def tip_form(page):
    return page.locator("form[action='/page/tip']")


def lookup_form(page):
    return page.locator("form[action='/page/lookup']")


def test_an_advocate_sends_a_tip_and_reads_the_receipt(page, site):
    setup, url = site
    client = setup.people[2]
    page.goto(url + "/")
    assert page.title() == "Send a tip · Warroom tip intake"
    form = tip_form(page)
    form.get_by_label("Your organisation's token").fill(setup.token)
    form.get_by_label("What you found or know").fill("Our client's name is in a copy on a"
                                                     " forum thread.")
    form.get_by_label("Addresses of copies (optional)").fill(
        "https://forum.example/t/77?session=SECRET\nhttps://paste.example/raw/9")
    form.get_by_label("A-numbers of affected clients (optional)").fill(client.a_number)
    form.get_by_label("How to reach you about it (optional)").fill("intake@legal-aid.example")
    form.get_by_label("Keep who sent this tip confidential").check()
    form.get_by_role("button", name="Send the tip").click()
    page.wait_for_load_state()
    status = page.get_by_role("status")
    assert "Tip received" in status.inner_text()
    receipt = page.locator("#receipt").inner_text()
    assert receipt.startswith("T-") and len(receipt) == 21
    with Journal(setup.db) as j:
        tip = queries.tip(j.conn, receipt)
    assert tip["channel"] == "page" and tip["org"] == "Legal Aid (fictitious)"
    assert tip["confidential"] and tip["contact"] == "intake@legal-aid.example"
    assert tip["urls"] == ["https://forum.example/t/77?session=***",
                           "https://paste.example/raw/9"]
    assert tip["a_numbers"] == tip["in_roster"] == [client.a_number]


def test_an_advocate_looks_one_client_up(page, site):
    setup, url = site
    client = setup.people[4]
    page.goto(url + "/")
    form = lookup_form(page)
    form.get_by_label("Your organisation's token").fill(setup.token)
    form.get_by_label("Your client's A-number").fill(client.a_number)
    form.get_by_label("Your client's birth date").fill(client.birth_date.isoformat())
    form.get_by_role("button", name="Look up my client").click()
    page.wait_for_load_state()
    assert "is in the exposed file" in page.locator("#answer").inner_text()
    assert page.locator("#notification").inner_text() == "not yet sent"
    assert page.locator("#hold").inner_text() == "not yet placed"
    assert page.locator("#receipt").inner_text().startswith("L-")


def test_a_wrong_token_is_refused_and_the_text_typed_is_kept(page, site):
    _, url = site
    page.goto(url + "/")
    form = tip_form(page)
    form.get_by_label("Your organisation's token").fill("wrt_not-a-token")
    form.get_by_label("What you found or know").fill("a tip typed with care")
    with page.expect_response(url + "/page/tip") as sent:
        form.get_by_role("button", name="Send the tip").click()
    assert sent.value.status == 401
    alert = page.get_by_role("alert")
    assert "Token not accepted" in alert.inner_text() and "valid intake token" in \
        alert.inner_text()
    assert tip_form(page).get_by_label("What you found or know").input_value() == \
        "a tip typed with care"
    assert tip_form(page).get_by_label("Your organisation's token").input_value() == ""


def test_the_page_is_plain_labelled_and_self_contained(page, site):
    _, url = site
    response = page.goto(url + "/")
    headers = response.headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert page.locator("script").count() == 0
    assert page.locator("html").get_attribute("lang") == "en"
    controls = page.locator("input:not([type=hidden]), textarea")
    assert controls.count() == 9   # six in the tip form, three in the lookup
    for i in range(controls.count()):
        control_id = controls.nth(i).get_attribute("id")
        assert page.locator(f"label[for='{control_id}']").count() == 1, control_id
    for link in page.locator("link, img, iframe").all():
        target = link.get_attribute("href") or link.get_attribute("src") or ""
        assert target.startswith("/") and not target.startswith("//"), target
    assert page.get_by_role("heading", name="Send a tip").count() == 1
