"""
The investigation over real HTTP, on the demo: one learner's work carried across scenario
pages, the class board seen by another learner and moderated by staff, the staff export,
and the notebook's downloads.
"""

import uuid

import pytest
from lxml import html

from .test_concurrency import anonymous_id
from .test_workbench import Student

pytestmark = pytest.mark.slow

PAGES = {"question": "lamap_notebook.0", "hypothesis": "lamap_notebook.1", "notebook": "lamap_notebook.4"}
QUESTION = {
    "questions": ["Does a heavy pebble float in salty water?"],
    "chosen_question": 0,
    "testable": "yes",
    "testable_reason": "We can try with more and more salt.",
}


@pytest.fixture
def learners(demo_server):
    run = uuid.uuid4().hex[:6]
    return lambda name: Student(demo_server, f"{name}-{run}")


def submit_question(learner, work=QUESTION):
    (usage,) = learner.usages(PAGES["question"])
    response = learner.call(usage, "submit_step", work)
    assert response.status_code == 200, response.text
    return usage, response.json()


def test_earlier_work_follows_the_learner_across_pages(learners):
    ada = learners("ada")
    before = html.fromstring(ada.page(PAGES["hypothesis"]))
    assert "not submitted the question step" in before.xpath("string(//aside[@class='lamap-earlier'])")
    submit_question(ada)
    after = html.fromstring(ada.page(PAGES["hypothesis"]))
    assert "Does a heavy pebble float in salty water?" in after.xpath("string(//aside[@class='lamap-earlier'])")
    other = html.fromstring(learners("bob").page(PAGES["hypothesis"]))
    assert "heavy pebble" not in other.xpath("string(//aside[@class='lamap-earlier'])"), "only one's own work"


def test_board_between_learners_and_staff_moderation(learners):
    ada, bob, staff = learners("ada"), learners("bob"), learners("staff")
    question = f"Does a heavy pebble float in salty water ({uuid.uuid4().hex[:6]})?"
    usage, _ = submit_question(ada, dict(QUESTION, questions=[question]))
    _, reply = submit_question(bob, dict(QUESTION, questions=["Why does a steel boat float?"]))
    board = html.fromstring(reply["feedback_html"]).xpath("//section[contains(@class, 'lamap-board')]")[0]
    items = {
        " ".join(item.xpath("string(.//p[@class='lamap-board-text'])").split()): item.get("data-contribution")
        for item in board.xpath(".//li[contains(@class, 'lamap-board-item')]")
    }
    assert question in items, "bob sees ada's question"
    page = bob.page(PAGES["question"])
    assert ada.student not in page, page[page.find(ada.student) - 300 : page.find(ada.student) + 50]
    assert anonymous_id(ada.student) not in page, "anonymous"
    ada_item = int(items[question])
    body = {"page": 1, "order": "newest", "contribution": ada_item, "hidden": True}
    refused = bob.call(usage, "hide_contribution", body)
    assert refused.status_code == 403 and "staff" in refused.json()["error"]
    staff.page(PAGES["question"])  # the CSRF cookie
    hidden = staff.call(usage, "hide_contribution", body)
    assert hidden.status_code == 200, hidden.text
    bob_view = bob.page(PAGES["question"])
    assert question not in bob_view, "hidden from learners"
    export = staff.session.get(f"{staff.base}/handler/{usage}/staff_csv/", params={"student": staff.student})
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert question in export.text
    assert ada.student not in export.text
    forbidden = bob.session.get(f"{bob.base}/handler/{usage}/staff_csv/", params={"student": bob.student})
    assert forbidden.status_code == 403


def test_notebook_shows_and_downloads_the_work(learners):
    ada = learners("ada")
    submit_question(ada)
    document = html.fromstring(ada.page(PAGES["notebook"]))
    assert "Does a heavy pebble float in salty water?" in document.text_content()
    link = document.xpath("//a[contains(@href, 'format=md')]/@href")[0]
    markdown = ada.session.get(ada.base + link)
    assert markdown.status_code == 200
    assert "- Does a heavy pebble float in salty water?" in markdown.text
    other = learners("bob")
    other_page = html.fromstring(other.page(PAGES["notebook"]))
    assert "heavy pebble" not in other_page.text_content()
