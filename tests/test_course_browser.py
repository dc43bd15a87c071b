"""
The course preview in headless Chromium: a learner follows "Next" from the course home to
the last unit on a phone-sized page, each page titled, placed in the outline, without a
script error and without horizontal scrolling; the learner switcher (a menu in the header)
works with the keyboard alone; on a phone the outline is a menu opened from the header, on
a wide screen a column at the inline start of the unit.

It previews ``courses/example`` (the packaged course) when present, else the test fixture.
"""

import uuid
from pathlib import Path

import pytest

from .conftest import recording_tabs
from .test_course_preview import COURSE, running_preview

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parent.parent / "courses" / "example"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def course_preview(tmp_path_factory):
    course = EXAMPLE if (EXAMPLE / "course.yaml").is_file() else COURSE
    with running_preview(course, tmp_path_factory.mktemp("preview-browser")) as base:
        yield base


@pytest.fixture
def open_page(browser, course_preview):
    """open_page(viewport) -> a tab of its own; at the end no tab may have had a script or console error."""
    with recording_tabs(browser, course_preview) as open_tab:
        yield open_tab


def no_horizontal_scroll(tab):
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_next_through_every_unit_on_a_phone(open_page):
    tab = open_page(PHONE)
    student = f"walker-{uuid.uuid4().hex[:6]}"
    tab.goto(f"{tab.base}/?student={student}")
    outline = tab.locator("main .lamap-preview-units a")
    units = [" ".join(text.split()) for text in outline.all_inner_texts()]
    assert units, "the home page lists the units"
    assert no_horizontal_scroll(tab), "home"
    with tab.expect_navigation():
        tab.locator("a.lamap-preview-start").click()
    visited = []
    while True:
        tab.wait_for_load_state("load")
        title = " ".join(tab.locator("main h2").first.inner_text().split())
        current = tab.locator(".lamap-preview-outline a[aria-current='page'] .lamap-preview-unit-name")
        assert current.count() == 1, title
        assert " ".join(current.text_content().split()) == title, "the outline marks the current unit"
        bar = tab.locator("main nav.lamap-preview-sequence")
        assert bar.is_visible() and bar.bounding_box()["y"] < PHONE["height"], f"{title}: the sequence bar on top"
        assert bar.locator("a[aria-current='page']").count() == 1
        assert no_horizontal_scroll(tab), f"{title}: the page scrolls sideways at 375 px"
        assert f"student={student}" in tab.url
        visited.append(title)
        following = tab.locator(".lamap-preview-pager a[rel='next']")
        if not following.count():
            break
        with tab.expect_navigation():
            following.click()
    assert visited == units, "Next goes through every unit in outline order"
    assert not tab.locator(".lamap-preview-outline").is_visible(), "on a phone the outline waits for its menu"
    menu = tab.locator("header button.lamap-preview-menu")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    outline = tab.locator(".lamap-preview-outline")
    assert outline.is_visible() and outline.bounding_box()["y"] < tab.locator("main").bounding_box()["y"]


def test_learner_switcher_with_the_keyboard(open_page):
    tab = open_page(PHONE)
    tab.goto(f"{tab.base}/?student=student_1")
    with tab.expect_navigation():
        tab.locator("a.lamap-preview-start").click()
    path = tab.evaluate("location.pathname")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "lamap-preview-skip"
    assert tab.locator(".lamap-preview-skip").is_visible(), "the skip link shows when focused"
    assert not tab.locator("#lamap-preview-student").is_visible(), "the switcher is a small menu"
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        raise AssertionError("the learner menu cannot be reached with Tab")
    assert "student_1" in tab.evaluate("document.activeElement.textContent")
    tab.keyboard.press("Enter")
    # Opening the menu puts the focus in its field (on the details' toggle event).
    tab.wait_for_function("document.activeElement.name === 'student'", timeout=5000)
    focused = tab.evaluate("document.activeElement.labels[0].textContent.trim()")
    assert focused == "Acting as learner"
    tab.keyboard.press("Control+A")
    tab.keyboard.type("learner_2")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.evaluate("location.pathname") == path, "the switcher keeps the page"
    assert tab.evaluate("new URLSearchParams(location.search).get('student')") == "learner_2"
    assert tab.locator("#lamap-preview-student").input_value() == "learner_2"
    assert tab.evaluate("studentId") == "learner_2", "the blocks' handlers act for that learner"
    hrefs = tab.locator("a[href^='/unit/']").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs and all("student=learner_2" in href for href in hrefs)


def test_the_outline_sits_beside_the_unit_on_a_wide_screen(open_page):
    tab = open_page(DESKTOP)
    tab.goto(f"{tab.base}/?student=student_1")
    with tab.expect_navigation():
        tab.locator("a.lamap-preview-start").click()
    main_box = tab.locator("main").bounding_box()
    outline = tab.locator(".lamap-preview-outline")
    assert not tab.locator("header button.lamap-preview-menu").is_visible(), "no menu button on a wide screen"
    assert outline.bounding_box()["x"] + outline.bounding_box()["width"] <= main_box["x"], "the outline comes first"
    assert outline.locator("details").first.evaluate("details => details.open"), "the current chapter is open"
    assert outline.locator("a[aria-current='page']").is_visible()
    assert tab.locator("main nav.lamap-preview-sequence a[aria-current='page']").is_visible()
