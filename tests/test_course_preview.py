"""
``lamap-course preview`` over real HTTP: the fixture course served from its sources and
from the archive ``lamap-course build`` makes of it. The outline and its links, a unit's
HTML, live blocks and placeholders, previous/next across subsections and chapters, work
stored per learner and shared on the class board, the learner carried in every link,
static files, a 404, the course's language, and a broken course refused with its problems.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import requests
from lxml import html

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
def running_preview(course, workdir):
    """``lamap-course preview COURSE`` on a free port with its data in ``workdir``; yields the base URL."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = workdir / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command("preview", str(course), "--port", str(port), "--data-dir", str(workdir / "data")),
            cwd=workdir,
            env=clean_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        try:
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the preview did not start:\n" + log_path.read_text()) from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


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
    outline = main.xpath(".//ol[@class='lamap-preview-chapters']")[0]
    chapters = outline.xpath("./li")
    assert [text_of(chapter.xpath("./span")[0]) for chapter in chapters] == ["Introduction", "Testing"]
    subsections = outline.xpath("./li/ol/li/span")
    assert [text_of(span) for span in subsections] == ["Getting started", "Reading", "Run it"]
    links = outline.xpath(".//ol[@class='lamap-preview-units']//a")
    assert [(link.get("href"), text_of(link)) for link in links] == [
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
    assert [text_of(link) for link in current] == ["Welcome"]


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
