"""
``lamap-course preview`` over real HTTP: the fixture course served from its sources and
from the archive ``lamap-course build`` makes of it. The outline and its links, a unit's
HTML, live blocks and placeholders, previous/next across subsections and chapters, the
sequence bar of a subsection's units, completion ticks, ``/jump_to_id/`` links resolved as
Open edX resolves them, tables in scroll boxes, work stored per learner and shared on the
class board, the learner carried in every link, static files, a 404, the course's
language, and a broken course refused with its problems.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from lxml import html

from .servers import free_port, serving

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "courses"
COURSE = FIXTURES / "preview"
FRENCH_COURSE = FIXTURES / "preview-fr"
# The fixture's outline: (chapter, subsection, [(unit url_name, unit title)]).
OUTLINE = [
    ("Introduction", "Getting started", [("intro-start-welcome", "Welcome"), ("intro-start-ideas", "Ideas")]),
    ("Introduction", "Reading", [("intro-reading-background", "Background")]),
    ("Testing", "Run it", [("test-run-experiment", "Experiment"), ("test-run-conclude", "Conclusion")]),
]
UNITS = [unit for _chapter, _subsection, units in OUTLINE for unit in units]
QUESTION_USAGE = "intro-start-welcome-question.lamap_question.d0.u0"


def question_work(text):
    return {"questions": [text], "chosen_question": 0, "testable": "yes", "testable_reason": "We can try it."}


def command(*args):
    """``lamap-course`` as the Makefile runs it, in this interpreter."""
    return [sys.executable, "-m", "lamap_xblocks.course.cli", *args]


def clean_environment():
    """The test session's Django settings and var/ must not reach the preview's processes."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for name in ("DJANGO_SETTINGS_MODULE", "LAMAP_VAR_DIR", "LAMAP_PREVIEW_COURSE"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def running_preview(course, workdir, *options, startup=60):
    """``lamap-course preview COURSE [options]`` on a free port with its data in ``workdir``; yields the base URL."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    preview = command("preview", str(course), "--port", str(port), "--data-dir", str(workdir / "data"), *options)
    with serving(preview, port, workdir, clean_environment(), startup=startup, name="the preview") as (base, _process):
        yield base


@pytest.fixture(scope="module", params=["sources", "archive"])
def preview(request, tmp_path_factory):
    """The fixture course served from its sources, then from its archive."""
    workdir = tmp_path_factory.mktemp(f"preview-{request.param}")
    course = COURSE
    if request.param == "archive":
        course = workdir / "course.tar.gz"
        subprocess.run(command("build", str(COURSE), "-o", str(course), "-q"), check=True, env=clean_environment())
    with running_preview(course, workdir) as base:
        yield base


@pytest.fixture(scope="module")
def french_preview(tmp_path_factory):
    with running_preview(FRENCH_COURSE, tmp_path_factory.mktemp("preview-fr")) as base:
        yield base


class Learner:
    """A browser-like session acting as one learner (``?student=``), with the CSRF cookie pages set."""

    def __init__(self, base, student):
        self.base = base
        self.student = student
        self.session = requests.Session()

    def get(self, path, **params):
        return self.session.get(self.base + path, params=dict(params, student=self.student), timeout=30)

    def page(self, path):
        response = self.get(path)
        assert response.status_code == 200, response.text[:2000]
        return html.fromstring(response.text)

    def unit(self, url_name):
        return self.page(f"/unit/{url_name}/")

    def call(self, usage, handler, payload):
        if "csrftoken" not in self.session.cookies:
            self.unit(UNITS[0][0])
        return self.session.post(
            f"{self.base}/handler/{usage}/{handler}/",
            params={"student": self.student},
            json=payload,
            headers={"X-CSRFToken": self.session.cookies["csrftoken"]},
            timeout=30,
        )


def text_of(element):
    return " ".join(element.text_content().split())


def unit_name(link):
    """An outline link's unit title, without its completion tick's text."""
    return text_of(link.xpath(".//span[@class='lamap-preview-unit-name']")[0])


def ticked(link):
    """Whether a link carries a completion tick, with its text alternative."""
    ticks = link.xpath(".//span[@class='lamap-preview-tick']")
    if not ticks:
        return False
    assert link.xpath(".//span[@class='lamap-preview-tick']/svg[@aria-hidden='true']")
    assert text_of(ticks[0]) == ", completed", "a tick says it in words"
    return True


def unit_links(element):
    return [href.split("?")[0] for href in element.xpath(".//a[starts-with(@href, '/unit/')]/@href")]


# ----- the course home ---------------------------------------------------------------------


def test_home_shows_the_course_and_its_outline(preview):
    home = Learner(preview, "student_1").page("/")
    assert text_of(home.xpath("//header//h1")[0]) == "Floating and sinking"
    assert home.xpath("//main//img[@src='/course-static/card.svg']"), "the course image"
    main = home.xpath("//main")[0]
    assert "A short inquiry into why some things float." in text_of(main)
    assert "Live a short investigation" in text_of(main.xpath(".//section[@class='overview']")[0])
    (nav,) = main.xpath(".//nav[@class='lamap-preview-home-outline']")
    assert text_of(main.xpath("//*[@id=$id]", id=nav.get("aria-labelledby"))[0]) == "Course outline"
    assert main.xpath("./div[@class='lamap-preview-home']/*[1]") == [nav], "the outline comes before the about text"
    outline = nav.xpath(".//ol[@class='lamap-preview-chapters']")[0]
    chapters = outline.xpath("./li/details")
    assert all(chapter.get("open") is not None for chapter in chapters), "every chapter open on the home page"
    assert [text_of(chapter.xpath("./summary")[0]) for chapter in chapters] == ["Introduction", "Testing"]
    subsections = outline.xpath("./li/details/ol/li/span")
    assert [text_of(span) for span in subsections] == ["Getting started", "Reading", "Run it"]
    links = outline.xpath(".//ol[@class='lamap-preview-units']//a")
    assert [(link.get("href"), unit_name(link)) for link in links] == [
        (f"/unit/{url_name}/?student=student_1", title) for url_name, title in UNITS
    ]
    start = home.xpath("//a[@class='lamap-preview-start']")[0]
    assert text_of(start) == "Start the course"
    assert start.get("href") == f"/unit/{UNITS[0][0]}/?student=student_1"


# ----- unit pages ----------------------------------------------------------------------------


def test_unit_page_renders_html_blocks_and_placeholders(preview):
    page = Learner(preview, "reader").unit("intro-start-welcome")
    main = page.xpath("//main")[0]
    assert text_of(main.xpath(".//h2")[0]) == "Welcome"
    assert [text_of(item).rstrip("›") for item in main.xpath(".//nav[@aria-label='Breadcrumb']//li")] == [
        "Course home",
        "Introduction",
        "Getting started",
    ]
    prose = main.xpath(".//div[@data-url-name='intro-start-welcome-text']")[0]
    assert text_of(prose.xpath(".//h3")[0]) == "Welcome aboard"
    assert prose.xpath(".//img/@src") == ["/course-static/card.svg"], "/static/ links are the course's files"
    (block,) = main.xpath(f".//div[@data-usage='{QUESTION_USAGE}']")
    assert block.get("data-block-type") == "lamap_question" and block.get("data-init") == "LamapQuestionBlock"
    assert text_of(block.xpath(".//h3")[0]) == "What floats?"
    (discussion,) = main.xpath(".//section[@data-category='discussion']")
    assert text_of(discussion.xpath(".//h3")[0]) == "Discussion — Share your first ideas"
    assert "Open edX" in text_of(discussion)
    # The workbench's JavaScript runtime, as on its scenario pages.
    scripts = " ".join(page.xpath("//script/@src"))
    for script in ("/static/workbench/js/runtime/logger.js", "/jsi18n/", "js/runtime/1.js", "lamap_question"):
        assert script in scripts
    inline = " ".join(page.xpath("//script[not(@src)]/text()"))
    assert "studentId = 'reader'" in inline and "handlerBaseUrl = '/handler/'" in inline
    current = page.xpath("//nav[contains(@class, 'lamap-preview-outline')]//a[@aria-current='page']")
    assert [unit_name(link) for link in current] == ["Welcome"]
    chapters = page.xpath(
        "//nav[contains(@class, 'lamap-preview-outline')]//li[@class='lamap-preview-chapter']/details"
    )
    assert [chapter.get("open") is not None for chapter in chapters] == [True, False], "the current chapter open"


def test_other_components_are_labelled_placeholders(preview):
    learner = Learner(preview, "reader")
    (video,) = learner.unit("intro-start-ideas").xpath("//section[@data-category='video']")
    assert text_of(video.xpath(".//h3")[0]) == "Video — Léa's basin"
    assert video.xpath(".//a/@href") == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    experiment = learner.unit("test-run-experiment")
    (problem,) = experiment.xpath("//section[@data-category='problem']")
    assert text_of(problem.xpath(".//h3")[0]) == "Problem — Check your result"
    assert experiment.xpath("//div[@data-usage='test-run-experiment-experiment.lamap_experiment.d0.u0']")
    (other,) = learner.unit("test-run-conclude").xpath("//section[@data-category='word_cloud']")
    assert text_of(other.xpath(".//h3")[0]) == "Component — One word"
    assert "(word_cloud)" in text_of(other)


def test_previous_and_next_go_through_the_whole_course(preview):
    learner = Learner(preview, "reader")
    for index, (url_name, title) in enumerate(UNITS):
        page = learner.unit(url_name)
        assert text_of(page.xpath("//main//h2")[0]) == title
        pager = page.xpath("//nav[contains(@class, 'lamap-preview-pager')]")[0]
        bar = page.xpath("//nav[@class='lamap-preview-sequence']")[0]
        assert bar.xpath("following::h2[1]")[0] is page.xpath("//main//h2")[0], "the bar comes before the unit"
        if index == 0:
            assert bar.xpath(".//span[@aria-disabled='true'][contains(@class, 'previous')]")
        else:
            assert bar.xpath(".//a[contains(@class, 'previous')]/@href")[0].startswith(f"/unit/{UNITS[index - 1][0]}/?")
        if index < len(UNITS) - 1:
            assert bar.xpath(".//a[contains(@class, 'next')]/@href")[0].startswith(f"/unit/{UNITS[index + 1][0]}/?")
        previous = pager.xpath(".//a[@rel='prev']")
        following = pager.xpath(".//a[@rel='next']")
        if index == 0:
            assert previous == []
        else:
            assert unit_links(pager)[0] == f"/unit/{UNITS[index - 1][0]}/"
            assert text_of(previous[0]) == f"Previous unit: {UNITS[index - 1][1]}"
        if index == len(UNITS) - 1:
            assert following == []
            assert pager.xpath(".//a[starts-with(@href, '/?')]"), "the last unit leads back home"
        else:
            assert following[0].get("href").split("?")[0] == f"/unit/{UNITS[index + 1][0]}/"
            assert text_of(following[0]) == f"Next unit: {UNITS[index + 1][1]}"


def test_the_sequence_bar_lists_the_subsection_units(preview):
    page = Learner(preview, "reader").unit("intro-start-ideas")
    (bar,) = page.xpath("//main/nav[@class='lamap-preview-sequence']")
    assert bar.get("aria-label") == "Units of Getting started"
    buttons = bar.xpath(".//ol/li/a")
    assert [link.get("href") for link in buttons] == [
        "/unit/intro-start-welcome/?student=reader",
        "/unit/intro-start-ideas/?student=reader",
    ], "one button per unit of the subsection, nothing else"
    assert [text_of(link.xpath("./span[@aria-hidden='true']")[0]) for link in buttons] == ["1", "2"]
    assert [text_of(link.xpath("./span[@class='lamap-preview-visually-hidden']")[0]) for link in buttons] == [
        "Unit 1 of 2: Welcome",
        "Unit 2 of 2: Ideas",
    ]
    assert [link.get("aria-current") for link in buttons] == [None, "page"]
    assert [link.get("title") for link in buttons] == ["Welcome", "Ideas"]
    # Next from the last unit of a subsection goes on to the next subsection, as in the MFE.
    assert bar.xpath(".//a[contains(@class, 'next')]/@href") == ["/unit/intro-reading-background/?student=reader"]
    assert text_of(bar.xpath(".//a[contains(@class, 'previous')]")[0]) == "‹Previous"
    last = Learner(preview, "reader").unit(UNITS[-1][0])
    (end,) = last.xpath("//nav[@class='lamap-preview-sequence']//a[contains(@class, 'next')]")
    assert end.get("href") == "/?student=reader"
    assert page.xpath("count(//a[@rel='next'])") == 1, "one rel=next per page: the pager's"


def test_completion_ticks_follow_the_learners_work(preview):
    learner = Learner(preview, "ticker")

    def ticks(url_name):
        page = learner.unit(url_name)
        outline = page.xpath("//nav[contains(@class, 'lamap-preview-outline')]//ol[@class='lamap-preview-units']//a")
        bar = page.xpath("//nav[@class='lamap-preview-sequence']//ol/li/a")
        return (
            {unit_name(link): ticked(link) for link in outline},
            [ticked(link) for link in bar],
            ticked(page.xpath("//nav[@class='lamap-preview-sequence']//a[@aria-current='page']")[0]),
        )

    outline, bar, title = ticks("intro-start-welcome")
    assert not any(outline.values()) and bar == [False, False] and not title, "nothing done yet"
    outline, _bar, _title = ticks("intro-reading-background")
    assert outline["Background"], "a unit without a step of ours is complete once seen"
    assert not outline["Welcome"], "seeing a unit with a step does not complete it"
    assert learner.call(QUESTION_USAGE, "submit_step", {"questions": []}).status_code == 400
    assert not ticks("intro-start-welcome")[0]["Welcome"], "a refused submission completes nothing"
    response = learner.call(QUESTION_USAGE, "submit_step", question_work("Does wax float?"))
    assert response.status_code == 200, response.text
    outline, bar, title = ticks("intro-start-ideas")
    assert outline["Welcome"] and bar == [True, False], "its only step submitted: the unit is complete"
    assert not title and not outline["Ideas"]
    assert ticks("intro-start-welcome")[2], "the current unit's button is ticked"
    other = Learner(preview, "not-ticker")
    assert not any(ticked(link) for link in other.page("/").xpath("//ol[@class='lamap-preview-units']//a")), (
        "completion is per learner"
    )
    home = learner.page("/")
    assert [unit_name(link) for link in home.xpath("//ol[@class='lamap-preview-units']//a") if ticked(link)] == [
        "Welcome",
        "Background",
    ]


def test_jump_to_id_resolves_as_open_edx_does(preview):
    def jump(url_name, **params):
        return requests.get(f"{preview}/jump_to_id/{url_name}", params=params, allow_redirects=False, timeout=10)

    cases = {
        "intro-start-ideas": "/unit/intro-start-ideas/?student=walker",  # a unit
        "intro-start-welcome-question": "/unit/intro-start-welcome/?student=walker#intro-start-welcome-question",
        "test-run-conclude-notebook": "/unit/test-run-conclude/?student=walker#test-run-conclude-notebook",
        "intro-reading": "/unit/intro-reading-background/?student=walker",  # a subsection: its first unit
        "test": "/unit/test-run-experiment/?student=walker",  # a chapter: its first unit
    }
    for url_name, location in cases.items():
        response = jump(url_name, student="walker")
        assert (response.status_code, response.headers.get("Location")) == (302, location), url_name
    # Without ?student=, the learner of the page the link was on.
    response = requests.get(
        f"{preview}/jump_to_id/intro-start-ideas/",
        headers={"Referer": f"{preview}/unit/intro-start-welcome/?student=from-page"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.headers["Location"] == "/unit/intro-start-ideas/?student=from-page"
    assert jump("intro-start-ideas").headers["Location"] == "/unit/intro-start-ideas/"
    page = Learner(preview, "walker").page("/unit/intro-start-welcome/")
    assert page.xpath("//*[@id='intro-start-welcome-question']/@data-url-name") == ["intro-start-welcome-question"]
    assert page.xpath("//section[@id='intro-start-welcome-discussion']"), "placeholders are anchors too"
    missing = jump("no-such-thing", student="walker")
    assert missing.status_code == 404
    lost = html.fromstring(missing.text)
    assert text_of(lost.xpath("//main//h2")[0]) == "Page not found"
    assert "“no-such-thing”" in text_of(lost.xpath("//main")[0])
    assert lost.xpath("//main//a/@href") == ["/?student=walker"]


def test_the_learner_is_carried_in_every_link(preview):
    learner = Learner(preview, "learner_c")
    for path in ("/", "/unit/test-run-conclude/"):
        page = learner.page(path)
        hrefs = [href for href in page.xpath("//a/@href") if href.startswith("/")]
        assert len(hrefs) > len(UNITS)
        assert [href for href in hrefs if "student=learner_c" not in href] == []
        switcher = page.xpath("//form[contains(@class, 'lamap-preview-learner')]")[0]
        assert switcher.get("method") == "get" and switcher.get("action") == path
        assert text_of(switcher.xpath(".//label")[0]) == "Acting as learner"
        assert switcher.xpath(".//input[@name='student']/@value") == ["learner_c"]
        options = switcher.xpath(".//datalist/option/@value")
        assert {"learner_1", "learner_2", "learner_3", "staff", "learner_c"} <= set(options)


def test_work_is_kept_per_learner_and_shared_on_the_board(preview):
    ada, bob = Learner(preview, "learner_a"), Learner(preview, "learner_b")
    question = "Does a heavy pebble float in salty water?"
    response = ada.call(QUESTION_USAGE, "submit_step", question_work(question))
    assert response.status_code == 200, response.text
    own = ada.unit("intro-start-welcome")
    assert own.xpath(f"//div[@data-usage='{QUESTION_USAGE}']//textarea[.='{question}']"), "her work is kept"
    notebook = ada.unit("test-run-conclude").xpath("//div[@data-block-type='lamap_notebook']")[0]
    assert question in text_of(notebook), "the notebook gathers her work"
    assert question not in text_of(bob.unit("test-run-conclude")), "not anybody's notebook"
    assert question not in text_of(bob.unit("intro-start-welcome")), "the board opens after one's own submission"
    response = bob.call(QUESTION_USAGE, "submit_step", question_work("Why does a steel boat float?"))
    assert response.status_code == 200, response.text
    board = bob.unit("intro-start-welcome").xpath("//section[contains(@class, 'lamap-board')]")[0]
    assert question in text_of(board), "bob sees ada's question on the class board"
    assert "learner_a" not in text_of(board)
    home = ada.page("/")
    resume = home.xpath("//a[@class='lamap-preview-start']")[0]
    assert text_of(resume) == "Resume the course" and resume.get("href").startswith("/unit/intro-start-welcome/")
    assert "learner_a" in home.xpath("//datalist/option/@value"), "the switcher offers learners seen"


def test_a_learner_cannot_change_a_block_for_everyone_on_the_preview(preview):
    learner, other = Learner(preview, "learner_c"), Learner(preview, "learner_d")
    response = learner.call(QUESTION_USAGE, "submit_studio_edits", {"values": {"display_name": "Hacked"}})
    assert response.status_code == 403 and response.json()["error"] == "Only the course team can change this block."
    assert "Hacked" not in text_of(other.unit("intro-start-welcome")), "nobody sees a learner's edit"


def test_static_files_and_unknown_pages(preview):
    svg = requests.get(preview + "/course-static/card.svg", timeout=10)
    assert svg.status_code == 200
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert svg.content == (COURSE / "static" / "card.svg").read_bytes()
    assert requests.get(preview + "/course-static/missing.svg", timeout=10).status_code == 404
    missing = requests.get(preview + "/unit/no-such-unit/", params={"student": "learner_c"}, timeout=10)
    assert missing.status_code == 404
    page = html.fromstring(missing.text)
    assert text_of(page.xpath("//header//h1")[0]) == "Floating and sinking", "in the preview's layout"
    assert text_of(page.xpath("//main//h2")[0]) == "Unit not found"


def test_the_workbench_stays_reachable_without_the_course_scenarios(preview):
    index = requests.get(preview + "/workbench/", timeout=10).text
    assert "/scenario/lamap_question.0/" in index
    assert "lamap_preview_course" not in index
    workbench_page = requests.get(preview + f"/scenario/lamap_preview_course.{UNITS[0][0]}-question/", timeout=10)
    assert workbench_page.status_code == 200 and QUESTION_USAGE in workbench_page.text


def test_a_reset_registers_the_course_again(preview):
    learner = Learner(preview, "learner_d")
    response = learner.session.post(preview + "/reset_state", headers={"Referer": preview + "/"}, timeout=30)
    assert response.status_code == 200 and response.url == preview + "/"
    page = learner.unit("intro-start-welcome")
    assert text_of(page.xpath(f"//div[@data-usage='{QUESTION_USAGE}']//h3")[0]) == "What floats?"


# ----- the course's language, an edited course, a broken one ---------------------------------


def test_a_french_course_previews_in_french(french_preview):
    learner = Learner(french_preview, "eleve")
    page = learner.unit("depart-questions-bassine")
    assert page.xpath("/html/@lang") == ["fr"]
    block = page.xpath("//div[@data-block-type='lamap_question']")[0]
    buttons = [text_of(button) for button in block.xpath(".//button")]
    assert "Enregistrer le brouillon" in buttons and "Soumettre" in buttons
    assert "Save draft" not in buttons
    usage = block.get("data-usage")
    reply = learner.call(usage, "submit_step", question_work("Une clé flotte-t-elle ?"))
    assert reply.status_code == 200 and reply.json()["message"].startswith("Votre travail a été soumis"), "handlers too"
    refused = learner.call(usage, "submit_step", {"questions": []})
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("Il manque ces champs dans la requête")
    bar = page.xpath("//nav[@class='lamap-preview-sequence']")[0]
    assert bar.get("aria-label").startswith("Unités de ")
    assert text_of(bar.xpath(".//ol/li/a/span[@class='lamap-preview-visually-hidden']")[0]).startswith("Unité 1 sur ")
    assert "Précédent" in text_of(bar) and "Accueil du cours" in text_of(bar), "the only unit leads home"
    assert page.xpath("//button[@class='lamap-preview-menu']//text()[normalize-space()]") == ["Plan du cours"]
    page = learner.unit("depart-questions-bassine")
    current = page.xpath("//nav[@class='lamap-preview-sequence']//a[@aria-current='page']")[0]
    assert ticked_fr(current), "her submission completes the unit: « terminée »"
    missing = learner.get("/jump_to_id/inconnu")
    assert missing.status_code == 404
    lost = html.fromstring(missing.text)
    assert text_of(lost.xpath("//main//h2")[0]) == "Page introuvable"
    assert text_of(lost.xpath("//main//p")[0]).startswith("Ce cours n")
    assert "ni sous-section" in text_of(lost.xpath("//main//p")[0])


def ticked_fr(element):
    return [text_of(tick) for tick in element.xpath(".//span[@class='lamap-preview-tick']")] == [", terminée"]


def test_links_and_tables_in_course_text(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    unit = course / "content" / "01-intro" / "02-reading" / "01-background.md"
    unit.write_text(
        unit.read_text()
        + "\nSee [the question](/jump_to_id/intro-start-welcome-question) and [ideas](/jump_to_id/intro-start-ideas).\n"
        + "\n| Object | Mass (g) | Floats? |\n|---|---|---|\n| Cork | 2 | yes |\n"
    )
    with running_preview(course, tmp_path / "run") as base:
        learner = Learner(base, "linker")
        page = learner.unit("intro-reading-background")
        prose = page.xpath("//div[@data-url-name='intro-reading-background-text']")[0]
        assert prose.xpath(".//a[starts-with(@href, '/jump_to_id/')]/@href") == [
            "/jump_to_id/intro-start-welcome-question?student=linker",
            "/jump_to_id/intro-start-ideas?student=linker",
        ], "links between units carry the learner"
        (box,) = prose.xpath(".//div[@class='lamap-preview-table']")
        assert (box.get("role"), box.get("tabindex")) == ("region", "0")
        assert box.get("aria-label") == "Table: Object, Mass (g), Floats?"
        assert [text_of(cell) for cell in box.xpath("./table//th")] == ["Object", "Mass (g)", "Floats?"]
        followed = learner.session.get(base + prose.xpath(".//a[starts-with(@href, '/jump_to_id/')]/@href")[0])
        assert followed.status_code == 200
        assert followed.url == base + "/unit/intro-start-welcome/?student=linker#intro-start-welcome-question"
        assert html.fromstring(followed.text).xpath("//main//h2/text()")[0].strip() == "Welcome"


def test_an_edited_course_keeps_learners_work_but_not_old_fields(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FRENCH_COURSE, course)
    unit = course / "content" / "01-depart" / "01-questions" / "01-bassine.md"
    unit.write_text(unit.read_text().replace("min_questions: 1", "display_name: Première version\nmin_questions: 1"))
    with running_preview(course, tmp_path / "run") as base:
        learner = Learner(base, "eleve")
        block = learner.unit("depart-questions-bassine").xpath("//div[@data-block-type='lamap_question']")[0]
        assert text_of(block.xpath(".//h3")[0]) == "Première version"
        work = question_work("Une clé flotte-t-elle dans l'eau salée ?")
        assert learner.call(block.get("data-usage"), "submit_step", work).status_code == 200
    unit.write_text(unit.read_text().replace("display_name: Première version\n", ""))
    with running_preview(course, tmp_path / "run") as base:
        block = Learner(base, "eleve").unit("depart-questions-bassine")
        block = block.xpath("//div[@data-block-type='lamap_question']")[0]
        assert text_of(block.xpath(".//h3")[0]) != "Première version", "the removed title is gone"
        assert block.xpath('.//textarea[.="Une clé flotte-t-elle dans l\'eau salée ?"]'), "the learner's work stays"


def test_a_broken_course_is_not_served(tmp_path):
    course = tmp_path / "broken"
    shutil.copytree(COURSE, course)
    subsection = course / "content" / "02-test" / "01-run" / "subsection.yaml"
    subsection.write_text("title: [Run it\ngraded: Investigation\n")
    result = subprocess.run(
        command("preview", str(course), "--port", "9", "--data-dir", str(tmp_path / "data")),
        env=clean_environment(),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^content/02-test/01-run/subsection\.yaml:\d+: YAML", result.stderr, re.MULTILINE), result.stderr
    assert re.search(r"^\d+ problems? found\.$", result.stderr, re.MULTILINE)
    assert "lamap-course preview: http" not in result.stdout
    assert not (tmp_path / "data").exists(), "nothing served, nothing created"
