"""
The demo over real HTTP: the workbench serving our scenarios, Django's CSRF protection,
several students with their own state, and bad requests refused without harm.
"""

import re

import pytest
import requests
from lxml import html

pytestmark = pytest.mark.slow

SCENARIOS = {
    "lamap_question": "lamap_question.0",
    "lamap_hypothesis": "lamap_hypothesis.0",
    "lamap_experiment": "lamap_experiment.0",
    "lamap_argumentation": "lamap_argumentation.0",
}


class Student:
    """A browser-like session for one student id: cookies, CSRF token, JSON handlers."""

    def __init__(self, base, student, language="en"):
        self.base = base
        self.student = student
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = language

    def page(self, scenario, view=""):
        response = self.session.get(f"{self.base}/scenario/{scenario}/{view}", params={"student": self.student})
        response.raise_for_status()
        return response.text

    def usages(self, scenario):
        document = html.fromstring(self.page(scenario))
        return document.xpath("//div[starts-with(@data-block-type, 'lamap_')]/@data-usage")

    def call(self, usage, handler, payload=None, csrf=True, method="POST", data=None):
        headers = {"Content-Type": "application/json"}
        if csrf:
            headers["X-CSRFToken"] = self.session.cookies.get("csrftoken", "")
        url = f"{self.base}/handler/{usage}/{handler}/"
        return self.session.request(
            method,
            url,
            params={"student": self.student},
            headers=headers,
            json=payload if data is None else None,
            data=data,
        )


@pytest.fixture
def student(demo_server):
    return lambda name, language="en": Student(demo_server, name, language)


def test_index_lists_every_block_scenario(demo_server):
    index = requests.get(demo_server + "/", timeout=10).text
    for scenario in SCENARIOS.values():
        assert f"/scenario/{scenario}/" in index
    assert "/scenario/lamap_argumentation.2/" in index, "the four steps in one page"
    assert "helloworld_demo" not in index, "the SDK samples are hidden"


@pytest.mark.parametrize("block_type,scenario", sorted(SCENARIOS.items()))
def test_scenario_page_and_resources(demo_server, student, block_type, scenario):
    learner = student("reader")
    page = learner.page(scenario)
    document = html.fromstring(page)
    assert document.xpath(f"//div[@data-block-type='{block_type}']")
    for url in document.xpath("//link[@rel='stylesheet']/@href | //script/@src"):
        if "/resource/" in url:
            response = learner.session.get(demo_server + url)
            assert response.status_code == 200, url
            assert response.headers["Content-Type"].split(";")[0] in (
                "text/css",
                "text/javascript",
                "application/javascript",
            )


def test_two_blocks_of_one_type_in_a_page_are_independent(student):
    learner = student("twin")
    first, second = learner.usages("lamap_question.1")
    assert first != second
    work = {"questions": ["Only in the first block?"], "chosen_question": 0, "testable": "", "testable_reason": ""}
    assert learner.call(first, "save_draft", work).status_code == 200
    page = learner.page("lamap_question.1")
    assert page.count("Only in the first block?") == 1


def test_csrf_token_is_required(student):
    learner = student("csrf")
    (usage,) = learner.usages(SCENARIOS["lamap_argumentation"])
    work = {"claim": "c", "evidence": [], "reasoning": "", "limitations": "", "criteria_checked": []}
    refused = learner.call(usage, "save_draft", work, csrf=False)
    assert refused.status_code == 403
    accepted = learner.call(usage, "save_draft", work)
    assert accepted.status_code == 200 and accepted.json()["message"] == "Draft saved."


def test_each_student_keeps_their_own_work(student):
    alice, bob = student("alice"), student("bob")
    (usage,) = alice.usages(SCENARIOS["lamap_question"])
    assert bob.usages(SCENARIOS["lamap_question"]) == [usage]
    work = {
        "questions": ["Alice asks: why does the ruler float?", "Does shape matter?"],
        "chosen_question": 0,
        "testable": "yes",
        "testable_reason": "We can test rulers of different woods.",
    }
    reply = alice.call(usage, "submit_step", work)
    assert reply.status_code == 200, reply.text
    assert "Does weight alone" not in reply.text
    assert "Does the weight of an object decide" in reply.json()["feedback_html"]
    assert "Alice asks" in alice.page(SCENARIOS["lamap_question"])
    bob_page = bob.page(SCENARIOS["lamap_question"])
    assert "Alice asks" not in bob_page and "Not submitted yet." in bob_page
    state = alice.call(usage, "student_view_user_state", method="GET").json()
    assert state["questions"][0] == "Alice asks: why does the ruler float?"
    assert bob.call(usage, "student_view_user_state", method="GET").json()["questions"] == []


def test_bad_requests_over_http_leave_state_alone(student):
    learner = student("careful")
    (usage,) = learner.usages(SCENARIOS["lamap_experiment"])
    good = learner.call(
        usage,
        "save_draft",
        {
            "changed_variable": "temperature",
            "measured_variable": "time",
            "controlled_variables": [],
            "materials": [],
            "protocol": [],
            "prediction": "faster when hot",
            "rows": [{"temperature": "20", "time": "60", "notes": ""}],
            "observations": "",
        },
    )
    assert good.status_code == 200, good.text
    before = learner.call(usage, "student_view_user_state", method="GET").json()
    for body in (b"{broken", b"[]", b'{"rows": 5}'):
        response = learner.call(usage, "save_draft", data=body)
        assert response.status_code == 400
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json()["error"]
    assert learner.call(usage, "save_draft", method="GET").status_code == 405
    after = learner.call(usage, "student_view_user_state", method="GET").json()
    assert after == before


def test_studio_editor_page_and_save(student):
    learner = student("someone")
    page = learner.page(SCENARIOS["lamap_hypothesis"], "studio_view/")
    (usage,) = re.findall(r"data-usage='([^']+)'", page)
    refused = learner.call(usage, "submit_studio_edits", {"values": {"display_name": "Hacked"}})
    assert refused.status_code == 403 and "course team" in refused.json()["error"]
    assert "Hacked" not in student("another").page(SCENARIOS["lamap_hypothesis"]), "nobody sees a learner's edit"
    author = student("staff-author")  # the workbench's staff: names starting with "staff"
    page = author.page(SCENARIOS["lamap_hypothesis"], "studio_view/")
    assert 'data-editor-field="max_hypotheses"' in page
    (usage,) = re.findall(r"data-usage='([^']+)'", page)
    response = author.call(usage, "submit_studio_edits", {"values": {"max_hypotheses": 3}})
    assert response.status_code == 200, response.text
    assert 'data-max="3"' in author.page(SCENARIOS["lamap_hypothesis"])
    response = author.call(usage, "submit_studio_edits", {"values": {"max_hypotheses": 0}})
    assert response.status_code == 400
    assert "from 1 to 8" in response.json()["error"]
    author.call(usage, "submit_studio_edits", {"values": {"max_hypotheses": 4}})


def test_pages_follow_the_browser_language(student):
    french = student("francais", language="fr")
    page = french.page(SCENARIOS["lamap_question"])
    assert 'lang="fr"' in page or "Soumettre" in page
    assert "Soumettre" in page and "Enregistrer le brouillon" in page
    assert "/public/js/translations/fr/text.js" in page
    (usage,) = french.usages(SCENARIOS["lamap_question"])
    reply = french.call(
        usage, "submit_step", {"questions": [], "chosen_question": None, "testable": "", "testable_reason": ""}
    )
    assert reply.status_code == 400
    assert reply.json()["error"].startswith("Pas encore soumis")


def test_staff_downloads_refuse_learners_with_a_readable_message(student):
    learner = student("curious")
    page = learner.page(SCENARIOS["lamap_question"])
    (usage,) = re.findall(r"data-usage='([^']+)'", page)
    for handler in ("staff_csv", "export"):
        response = learner.call(usage, handler, method="GET")
        assert response.status_code == 403, handler
        assert response.text.strip() == "Only course staff can do this.", handler
