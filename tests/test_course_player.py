"""
The preview as a course player, in headless Chromium, on both trainer courses (built once
per module, as ``lamap-course build`` makes them): no unit makes the page scroll sideways
at 320, 375 or 1280 px; at 1280 px the outline starts at the top of its column and shows
the current unit without moving the page; the sequence bar is at the top of every unit,
with ticks on the units the learner has completed; on a phone the outline is a menu opened
from the header with the keyboard; the links between units lead to units.
"""

import subprocess
import uuid
from pathlib import Path

import pytest

from lamap_xblocks.course.model import Problems
from lamap_xblocks.course.sources import BLOCK_TYPES
from lamap_xblocks.course.toolchain import load

from .conftest import recording_tabs
from .test_course_preview import clean_environment, command, running_preview

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSES = Path(__file__).resolve().parent.parent / "courses"
SLUGS = ("inquiry-trainers-en", "inquiry-trainers-fr")
WIDTHS = (320, 375, 1280)
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


class Served:
    """A trainer course served by the preview: its base URL and its outline (the course model)."""

    def __init__(self, base, course):
        self.base = base
        self.course = course
        self.units = [unit for _chapter, _subsection, unit in course.units()]

    def unit_url(self, url_name, student):
        return f"{self.base}/unit/{url_name}/?student={student}"


@pytest.fixture(scope="module")
def trainer_courses(tmp_path_factory):
    """Both trainer courses built to archives and previewed, each on a port of its own."""
    import contextlib

    served = {}
    with contextlib.ExitStack() as stack:
        for slug in SLUGS:
            workdir = tmp_path_factory.mktemp(f"player-{slug}")
            archive = workdir / f"{slug}.tar.gz"
            subprocess.run(
                command("build", str(COURSES / slug), "-o", str(archive), "-q"), check=True, env=clean_environment()
            )
            problems = Problems()
            course, _files = load(archive, problems)
            assert course is not None and not problems, problems
            served[slug] = Served(stack.enter_context(running_preview(archive, workdir)), course)
        yield served


@pytest.fixture
def open_tab(browser):
    """open_tab(viewport) -> a recorded tab; at the end, no tab may have had a script or console error."""
    with recording_tabs(browser, "") as opener:
        yield opener


def sideways(tab):
    """How many pixels the page scrolls sideways (0 when it does not)."""
    return tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def box_of(tab, selector):
    return tab.evaluate(
        "selector => { const r = document.querySelector(selector).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }",
        selector,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_unit_scrolls_sideways(trainer_courses, open_tab, width):
    tab = open_tab({"width": width, "height": 700})
    wide = []
    pages = 0
    for slug, served in trainer_courses.items():
        tab.goto(f"{served.base}/?student=scroller")
        if sideways(tab) > 0:
            wide.append(f"{slug} home: {sideways(tab)} px")
        for unit in served.units:
            tab.goto(served.unit_url(unit.url_name, "scroller"))
            pages += 1
            if sideways(tab) > 0:
                wide.append(f"{slug} {unit.url_name}: {sideways(tab)} px")
    assert pages == sum(len(served.units) for served in trainer_courses.values()) >= 2 * 30
    assert wide == [], f"pages that scroll sideways at {width} px"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_outline_starts_at_the_top_and_shows_the_current_unit(trainer_courses, open_tab, slug):
    served = trainer_courses[slug]
    tab = open_tab(DESKTOP)
    first_chapter = " ".join(served.course.chapters[0].display_name.split())
    # The last unit of each chapter: the farthest down the outline each chapter reaches.
    samples = [chapter.subsections[-1].units[-1] for chapter in served.course.chapters]
    for unit in samples:
        tab.goto(served.unit_url(unit.url_name, "reader"))
        assert tab.evaluate("window.scrollY") == 0, "the page itself does not move"
        title = box_of(tab, ".lamap-preview-outline-title")
        assert 0 <= title["top"] < 150, f"{unit.url_name}: the outline's heading is at the top of its column"
        chapter = tab.locator(".lamap-preview-outline .lamap-preview-chapter-title").first
        assert " ".join(chapter.inner_text().split()) == first_chapter
        assert chapter.is_visible() and chapter.bounding_box()["y"] >= title["bottom"] - 1, "the outline's start"
        main = box_of(tab, "main")
        outline = box_of(tab, ".lamap-preview-outline")
        assert outline["right"] <= main["left"], "the outline is the column at the inline start"
        current = tab.locator(".lamap-preview-outline a[aria-current='page']")
        shown = " ".join(current.locator(".lamap-preview-unit-name").inner_text().split())
        assert shown == " ".join(unit.display_name.split())
        link = current.bounding_box()
        scroller = box_of(tab, ".lamap-preview-outline-scroll")
        assert link["y"] >= scroller["top"] and link["y"] + link["height"] <= min(scroller["bottom"], 900), (
            f"{unit.url_name}: the current unit is in view in the outline's box"
        )


def test_top_navigation_and_completion_ticks(trainer_courses, open_tab):
    served = trainer_courses["inquiry-trainers-en"]
    # A subsection whose first unit has no step of ours: it is complete once seen.
    subsection = next(
        subsection
        for _chapter, subsection in served.course.subsections()
        if len(subsection.units) > 1 and not any(c.category in BLOCK_TYPES for c in subsection.units[0].components)
    )
    first, second = subsection.units[0], subsection.units[1]
    student = f"ticks-{uuid.uuid4().hex[:6]}"
    for viewport in (PHONE, DESKTOP):
        tab = open_tab(viewport)
        tab.goto(served.unit_url(second.url_name, student))
        bar = tab.locator("main nav.lamap-preview-sequence")
        assert bar.is_visible() and bar.bounding_box()["y"] < viewport["height"] / 2, "the bar is at the top"
        assert bar.bounding_box()["y"] < tab.locator("main h2").bounding_box()["y"], "above the unit's title"
        buttons = bar.locator("ol a")
        assert buttons.count() == len(subsection.units)
        assert buttons.nth(1).get_attribute("aria-current") == "page"
        assert [buttons.nth(index).get_attribute("title") for index in range(buttons.count())] == [
            unit.display_name for unit in subsection.units
        ]
        assert all(buttons.nth(index).bounding_box()["height"] >= 44 for index in range(buttons.count()))
        with tab.expect_navigation():
            bar.locator("a.lamap-preview-sequence-previous").click()
        assert tab.evaluate("location.pathname") == f"/unit/{first.url_name}/"
        assert f"student={student}" in tab.url
        with tab.expect_navigation():
            tab.locator("main nav.lamap-preview-sequence a.lamap-preview-sequence-next").click()
        assert tab.evaluate("location.pathname") == f"/unit/{second.url_name}/"
        tick = tab.locator("main nav.lamap-preview-sequence ol a").first.locator(".lamap-preview-tick")
        assert tick.count() == 1 and tick.locator("svg").is_visible(), "the seen unit is ticked in the bar"
        assert tick.text_content() == ", completed"
        name = tab.locator("main nav.lamap-preview-sequence ol a").first.evaluate("a => a.textContent").strip()
        assert name.endswith(f"{first.display_name}, completed")
        outline_link = tab.locator(f".lamap-preview-outline a[href^='/unit/{first.url_name}/']")
        assert outline_link.locator(".lamap-preview-tick").text_content() == ", completed", "and in the outline"
        student += "-2"


def test_the_phone_outline_is_a_menu_at_the_top(trainer_courses, open_tab):
    served = trainer_courses["inquiry-trainers-fr"]
    unit = served.units[-3]
    tab = open_tab(PHONE)
    tab.goto(served.unit_url(unit.url_name, "phone"))
    header = box_of(tab, "header")
    assert header["bottom"] <= 110, "a slim header"
    outline = tab.locator("nav.lamap-preview-outline")
    assert not outline.is_visible(), "closed until asked for"
    button = tab.locator("header button.lamap-preview-menu")
    assert button.is_visible() and button.bounding_box()["y"] < 60
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == outline.get_attribute("id")
    assert " ".join(button.text_content().split()) == "Plan du cours", "in the course's language"
    for _ in range(5):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.classList.contains('lamap-preview-menu')"):
            break
    else:
        raise AssertionError("the menu button cannot be reached with Tab")
    tab.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert outline.is_visible()
    assert outline.bounding_box()["y"] < 200, "the outline opens at the top"
    assert tab.evaluate("document.activeElement.getAttribute('aria-current')") == "page", "focus on the current unit"
    assert tab.evaluate("document.activeElement.textContent").strip().startswith(unit.display_name)
    tab.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not outline.is_visible()
    assert tab.evaluate("document.activeElement.classList.contains('lamap-preview-menu')"), "focus back on the button"
    assert sideways(tab) == 0
    tab.keyboard.press("Space")
    assert outline.is_visible()
    first_of_chapter = outline.locator("details[open] ol.lamap-preview-units a").first
    target = first_of_chapter.get_attribute("href").split("?")[0]
    with tab.expect_navigation():
        first_of_chapter.click()
    assert tab.evaluate("location.pathname") == target != f"/unit/{unit.url_name}/"
    assert not tab.locator("nav.lamap-preview-outline").is_visible(), "a new page, the menu closed"


def test_links_between_units_lead_to_units(trainer_courses, open_tab):
    served = trainer_courses["inquiry-trainers-en"]
    tab = open_tab(PHONE)
    student = "linker"
    followed = 0
    for unit in served.units[:12]:
        tab.goto(served.unit_url(unit.url_name, student))
        hrefs = tab.locator("main a[href^='/jump_to_id/']").evaluate_all("links => links.map(l => l.href)")
        for href in hrefs[:2]:
            assert f"student={student}" in href
            reply = tab.request.get(href)
            assert reply.ok, href
            assert "/unit/" in reply.url and f"student={student}" in reply.url, href
            followed += 1
    assert followed >= 5
    # A component's url_name: its unit, at the component.
    unit, component = next(
        (unit, component) for unit, component in served.course.components() if component.category in BLOCK_TYPES
    )
    tab.goto(f"{served.base}/jump_to_id/{component.url_name}?student={student}")
    assert tab.evaluate("location.pathname") == f"/unit/{unit.url_name}/"
    assert tab.evaluate("location.hash") == f"#{component.url_name}"
    assert tab.evaluate("id => document.getElementById(id).dataset.urlName", component.url_name) == component.url_name
    assert tab.evaluate("window.scrollY") > 0, "the page opens at the component"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_axe_finds_nothing_on_the_players_own_chrome(trainer_courses, open_tab, slug, viewport):
    """Header, outline and unit navigation: axe-core's rules (WCAG A and AA), on the home page and a unit."""
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    served = trainer_courses[slug]
    tab = open_tab(viewport)
    chrome = {"include": [[".lamap-preview-banner"], [".lamap-preview-outline"], [".lamap-preview-sequence"]]}
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    for url in (f"{served.base}/?student=axe", served.unit_url(served.units[5].url_name, "axe")):
        tab.goto(url)
        menu = tab.locator("button.lamap-preview-menu:visible")
        if menu.count():  # the outline is a menu on a phone's unit pages: open it, as a learner would
            menu.first.click()
        results = Axe().run(tab, context=chrome, options=options)
        violations = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in results.response["violations"]
        ]
        assert violations == [], f"{slug} {url}"


@pytest.fixture(scope="module")
def class_preview(tmp_path_factory):
    """``make demo CLASS=30``: the English trainer course previewed after 30 sample learners worked in it."""
    workdir = tmp_path_factory.mktemp("player-class")
    archive = workdir / "course.tar.gz"
    slug = "inquiry-trainers-en"
    subprocess.run(command("build", str(COURSES / slug), "-o", str(archive), "-q"), check=True, env=clean_environment())
    problems = Problems()
    course, _files = load(archive, problems)
    with running_preview(archive, workdir, "--class", "30", startup=240) as base:
        yield Served(base, course), (workdir / "server.log").read_text()


def notebook_unit(course, investigation):
    for _chapter, _subsection, unit in course.units():
        for component in unit.components:
            if component.category == "lamap_notebook" and component.element.get("investigation") == investigation:
                return unit
    raise AssertionError(f"no notebook of {investigation}")


def test_the_trainer_dashboard_on_the_demo_with_a_class_of_thirty(class_preview, open_tab):
    """A trainer opens the floating investigation's notebook as staff and reads the class."""
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    served, log = class_preview
    assert "sample class in floating:" in log and "learners class-01 to class-30" in log
    tab = open_tab(DESKTOP)
    tab.goto(served.unit_url(notebook_unit(served.course, "floating").url_name, "staff"))
    board = tab.locator("[data-dashboard]")
    board.wait_for()
    caption = board.locator(".lamap-grid caption")
    assert caption.inner_text().startswith("30 learners"), "every learner of the class, one page"
    assert board.locator(".lamap-grid tbody tr").count() == 30
    states = set(board.locator(".lamap-grid td").evaluate_all("cells => cells.map(cell => cell.className)"))
    assert {"lamap-cell-submitted", "lamap-cell-draft", "lamap-cell-none"} <= states, "a class at every stage"
    titles = board.locator(".lamap-indicator svg > title").evaluate_all("titles => titles.map(t => t.textContent)")
    assert "How sure the learners were, before and after the evidence" in titles
    assert "Plans passing each fair-test check" in titles
    pooled = board.locator(".lamap-pooled-chart svg .lamap-mark")
    assert pooled.count() >= 100, "every finished learner's rows on one chart"
    assert board.locator(".lamap-attention-counts li").count() == 3
    rules = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(tab, context={"include": [["[data-dashboard]"]]}, options=rules)
    assert [violation["id"] for violation in results.response["violations"]] == []
    # "Submitted the experiment but no argument": the grid alone is redrawn, focus on its caption.
    board.locator("[data-filter='submitted'][value='experiment']").check()
    board.locator("[data-filter='missing'][value='argumentation']").check()
    board.locator("[data-dashboard-filters] button").click()
    tab.wait_for_function("document.activeElement && document.activeElement.tagName === 'CAPTION'")
    shown = int(board.locator(".lamap-grid caption").inner_text().split()[0])
    assert 0 < shown < 30 and board.locator(".lamap-grid tbody tr").count() == shown
    assert board.locator(".lamap-indicator").count() == 4, "the rest of the dashboard stays"
    # Everyone again, the furthest in the inquiry first: the first learners have argued.
    board.locator("[data-filter]:checked").evaluate_all("boxes => boxes.forEach(box => { box.checked = false; })")
    board.locator("[data-dashboard-order]").select_option("furthest")
    board.locator("[data-dashboard-filters] button").click()
    tab.wait_for_function("document.querySelector('.lamap-grid caption').textContent.startsWith('30 learners')")
    first_row = board.locator(".lamap-grid tbody tr").first.locator("td")
    assert first_row.last.get_attribute("class") in ("lamap-cell-submitted", "lamap-cell-revised")
    assert board.locator(".lamap-grid tbody tr").last.locator("td").nth(1).get_attribute("class") in (
        "lamap-cell-none",
        "lamap-cell-draft",
    ), "the last learner has not submitted hypotheses"
    board.locator(".lamap-grid tbody [data-learner]").first.click()
    title = board.locator("[data-learner-view] .lamap-card-title").first
    title.wait_for()
    assert title.inner_text().startswith("The investigation of learner")
    assert board.locator("[data-learner-view] .lamap-notebook-entry").count() >= 3
    tab.set_viewport_size(PHONE)
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing scrolls sideways"
