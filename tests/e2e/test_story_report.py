"""`newsdedup report` end to end: crawl the fixture news web with `newsdedup crawl`, render
the report, open it in the system's headless Chromium and read it as a person would.

Asserted against the web's ground truth, story members linked by canonical URL: every
syndication group is one story whose original is its earliest copy, every outlet has
its section, every learned template paragraph is listed under its outlet, and the
cleaning section shows templates and chrome lines with examples. A screenshot of the
page is saved beside the report in the test's temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from support import cli_env, require_service

from newsdedup.core.urls import canonicalize_url
from newsdedup.pipeline.extract.chrome import chrome_rule
from newsweb import NewsWeb, Site, build_test_site

if TYPE_CHECKING:  # selenium is imported where a test needs it: the browser may be missing
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.slow


@dataclass
class Rendered:
    site: Site
    workdir: Path
    report: Path
    stderr: str


def _cli(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "newsdedup", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"newsdedup {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def rendered(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    workdir = tmp_path_factory.mktemp(f"report-{request.param}")
    site = build_test_site(crawl_delay=None)
    env = cli_env(without=("http_proxy", "no_proxy"))
    database_url = "sqlite:///newsdedup.db"
    if request.param == "postgres":
        env["NEWSDEDUP_DATABASE_URL"] = str(request.getfixturevalue("module_postgres_url"))
    mapping = site.config_mapping(database_url, timeout=3, retries=1)
    (workdir / "config.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    with NewsWeb(site) as web:
        env["http_proxy"] = web.proxy_url
        _cli(workdir, env, "crawl")
        assert not web.errors, web.errors
    done = _cli(workdir, env, "report", "-o", "out/report.html", "--since", "1d")
    yield Rendered(site, workdir, workdir / "out" / "report.html", done.stderr)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        require_service("Chromium and chromedriver are not installed (apt-get install chromium "
                        "chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Page:
    """The report as the browser shows it."""

    driver: WebDriver

    def all(self, selector: str) -> list[WebElement]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, selector))

    def one(self, selector: str) -> WebElement:
        found = self.all(selector)
        assert len(found) == 1, f"{selector}: {len(found)} elements"
        return found[0]


def attribute(element: WebElement, name: str) -> str:
    """The attribute ``name`` the element must have (selenium gives None when it is absent)."""
    value = element.get_attribute(name)
    assert value is not None, f"no {name} attribute"
    return value


@pytest.fixture(scope="module")
def page(rendered: Rendered, browser: WebDriver) -> Page:
    browser.get(rendered.report.as_uri())
    shown = Page(browser)
    full_height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(int(full_height) + 100, 16000))
    shot = rendered.report.with_suffix(".png")
    assert browser.save_screenshot(str(shot)), "the screenshot could not be saved"
    return shown


def test_the_report_is_one_file_without_scripts_or_network(rendered: Rendered) -> None:
    html = rendered.report.read_text("utf-8")
    assert "<script" not in html
    assert 'src="http' not in html and "<link" not in html  # nothing fetched when opened
    assert "report:" in rendered.stderr and "stories" in rendered.stderr


def test_the_screenshot_is_saved(rendered: Rendered, page: Page) -> None:
    shot = rendered.report.with_suffix(".png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_each_syndication_group_is_one_story_with_its_earliest_copy_first(
        rendered: Rendered, page: Page) -> None:
    stories = page.all("#stories article.story")
    assert len(stories) == len(rendered.site.syndication_groups)
    by_members = {}
    for story in stories:
        rows = story.find_elements("css selector", "tr[data-canonical-url]")
        assert story.is_displayed()
        by_members[frozenset(row.get_attribute("data-canonical-url") for row in rows)] = rows
    for name, urls in rendered.site.syndication_groups.items():
        members = frozenset(canonicalize_url(url) for url in urls)
        assert members in by_members, f"story {name} is not one story of the report"
        rows = by_members[members]
        truths = {canonicalize_url(url): rendered.site.article(url) for url in urls}
        earliest = min(truths, key=lambda url: truths[url].published_at)
        original = [row for row in rows if "original" in attribute(row, "class")]
        assert [row.get_attribute("data-canonical-url") for row in original] == [earliest], name
        assert "chosen because" in original[0].text
        for row in rows:
            outlet = truths[attribute(row, "data-canonical-url")].outlet
            assert row.get_attribute("data-source") == outlet
            assert outlet in row.text
        for row in rows:
            if row not in original:
                assert row.find_element("css selector", "td.lag").text.startswith("+"), name


def test_each_story_has_a_timeline_and_copies_say_what_changed(page: Page) -> None:
    for story in page.all("#stories article.story"):
        circles = story.find_elements("css selector", "svg.timeline circle")
        copies = story.find_elements("css selector", "tr.copy")
        assert len(circles) == len(copies) + 1
        for copy in copies:
            changes = copy.find_element("css selector", "td.changes").text
            assert "same" in changes or "dropped" in changes


def test_every_outlet_has_its_section_with_runs_and_health(rendered: Rendered, page: Page) -> None:
    sections = {element.get_attribute("data-source"): element
                for element in page.all("#sources article.source")}
    assert set(sections) == set(rendered.site.outlets)
    for name, section in sections.items():
        assert section.is_displayed()
        assert "1 runs (1 succeeded, 0 failed)" in section.text, name
        assert section.find_elements("css selector", "svg.runs rect"), name
        assert section.find_element("css selector", ".health").text == "ok"
    # The fixture web's bad pages are rejected, and said so under their outlet.
    reasons = {row.get_attribute("data-reason") for row in page.all("table.rejections tr")}
    assert {"http_error", "soft_404"} <= reasons
    # One crawl: nothing revisited or deleted yet, and each outlet says so.
    for section in sections.values():
        freshness = section.find_element("css selector", ".freshness")
        assert freshness.get_attribute("data-revisits") == "0"
        assert freshness.get_attribute("data-deleted") == "0"


def test_template_paragraphs_are_listed_under_their_outlet(rendered: Rendered, page: Page) -> None:
    for name, outlet in rendered.site.outlets.items():
        section = page.one(f'#sources article.source[data-source="{name}"]')
        listed = [item.find_element("css selector", "q").text
                  for item in section.find_elements("css selector", "li.template")]
        # Nothing but the outlet's own templates is listed as one...
        assert set(listed) <= set(outlet.template_paragraphs), name
        # ...and each one extraction leaves to the paragraph stage (not dropped as a
        # chrome line first) is learned from its many pages and listed.
        learned = [text for text in outlet.template_paragraphs if chrome_rule(text) is None]
        assert sorted(listed) == sorted(learned), name
    assert any(chrome_rule(text) is None for outlet in rendered.site.outlets.values()
               for text in outlet.template_paragraphs)


def test_cleaning_shows_what_was_removed_with_examples(rendered: Rendered, page: Page) -> None:
    fates = {row.get_attribute("data-fate"): row for row in page.all("#cleaning tr[data-fate]")}
    assert {"kept", "template"} <= set(fates)
    templates = {text for outlet in rendered.site.outlets.values()
                 for text in outlet.template_paragraphs}
    assert fates["template"].find_element("css selector", "q").text in templates
    chrome = page.all("#cleaning tr[data-kind]")
    assert chrome, "no chrome line shown"
    for row in chrome:
        assert row.find_element("css selector", "q").text.strip()


@pytest.mark.parametrize(("args", "message"), [
    (("--source", "no-such-outlet"), "--source no-such-outlet: not a configured source"),
    (("--since", "last tuesday"), "--since 'last tuesday': give a span such as 7d"),
])
def test_bad_arguments_are_one_line_and_exit_2(rendered: Rendered, args: tuple[str, ...],
                                               message: str) -> None:
    env = cli_env()
    if "postgres" in rendered.workdir.name:
        pytest.skip("the arguments are checked before the database is read")
    done = subprocess.run([sys.executable, "-m", "newsdedup", "report", "-o", "bad.html", *args],
                          cwd=rendered.workdir, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsdedup: error: {message}"), lines
    assert not (rendered.workdir / "bad.html").exists()
