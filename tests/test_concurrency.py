"""
The store under load, through a real server (the demo, on sqlite or on the MySQL-family
database LAMAP_TEST_DB names): 200 learners submit to one class board at once, and one
learner sends many revisions at once. Every submission must be stored once and counted
once; checked through what staff see (the board's count and the CSV export).
"""

import csv
import io
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from lxml import html

from lamap_xblocks.demo.services import anonymous_id

pytestmark = pytest.mark.slow

LEARNERS = 200
WORKERS = 32
REVISIONS = 15
QUESTION_PAGE = "lamap_notebook.0"  # the investigation's question step, shared with the class
HYPOTHESIS_PAGE = "lamap_notebook.1"
DASHBOARD_PAGE = "lamap_notebook.4"  # the investigation's notebook: staff see the class dashboard


class Client:
    """A thread-safe way to call handlers: one requests.Session per thread, one CSRF cookie."""

    def __init__(self, base):
        self.base = base
        self.local = threading.local()
        self.token = requests.get(f"{base}/scenario/{QUESTION_PAGE}/", timeout=30).cookies.get("csrftoken")

    def session(self):
        if not hasattr(self.local, "session"):
            session = requests.Session()
            session.cookies.set("csrftoken", self.token)
            self.local.session = session
        return self.local.session

    def usage(self, scenario, student):
        page = self.session().get(f"{self.base}/scenario/{scenario}/", params={"student": student}, timeout=30)
        (usage,) = re.findall(r"data-usage='([^']+)'", page.text)
        return usage

    def call(self, usage, handler, student, payload):
        return self.session().post(
            f"{self.base}/handler/{usage}/{handler}/",
            params={"student": student},
            json=payload,
            headers={"X-CSRFToken": self.token},
            timeout=120,
        )

    def staff_csv(self, usage):
        response = self.session().get(
            f"{self.base}/handler/{usage}/staff_csv/", params={"student": "staff"}, timeout=60
        )
        assert response.status_code == 200, response.text
        return list(csv.DictReader(io.StringIO(response.text)))

    def board_count(self, scenario):
        page = self.session().get(f"{self.base}/scenario/{scenario}/", params={"student": "staff"}, timeout=30)
        text = " ".join(
            html.fromstring(page.text).xpath("string(//section[contains(@class,'lamap-board')]//p)").split()
        )
        return int(re.match(r"(\d+) contribution", text).group(1)) if text else 0

    def dashboard_counts(self):
        """What the class dashboard (the investigation's notebook, as staff) counts: learners, and question askers."""
        page = self.session().get(f"{self.base}/scenario/{DASHBOARD_PAGE}/", params={"student": "staff"}, timeout=60)
        board = html.fromstring(page.text).cssselect("[data-dashboard]")[0]
        caption = board.cssselect(".lamap-grid caption")[0].text_content()
        question = board.cssselect(".lamap-indicator .lamap-count")[0].text_content()
        return int(caption.split()[0]), int(question.split()[0])


@pytest.fixture
def client(demo_server):
    return Client(demo_server)


def test_two_hundred_learners_submit_to_one_board_at_once(client):
    run = uuid.uuid4().hex[:8]
    students = [f"crowd-{run}-{number}" for number in range(LEARNERS)]
    usage = client.usage(QUESTION_PAGE, students[0])
    before = client.board_count(QUESTION_PAGE)
    learners_before, askers_before = client.dashboard_counts()

    def submit(student):
        work = {
            "questions": [f"Does the weight of object {student} decide whether it floats?"],
            "chosen_question": 0,
            "testable": "yes",
            "testable_reason": "We can weigh and test.",
        }
        response = client.call(usage, "submit_step", student, work)
        # The same learner's second, identical submission must not count again.
        again = client.call(usage, "submit_step", student, work) if student.endswith("7") else None
        return response.status_code, again.status_code if again is not None else 200

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(submit, students))
    assert statuses == [(200, 200)] * LEARNERS

    ours = {anonymous_id(student) for student in students}
    rows = [row for row in client.staff_csv(usage) if row["anonymous_user_id"] in ours and row["step"] == "question"]
    assert len(rows) == LEARNERS, "each submission stored once"
    assert {row["anonymous_user_id"] for row in rows} == ours
    assert {row["version"] for row in rows} == {"1"}
    assert client.board_count(QUESTION_PAGE) - before == LEARNERS, "each submission counted once"
    learners, askers = client.dashboard_counts()
    assert (learners - learners_before, askers - askers_before) == (LEARNERS, LEARNERS), "the dashboard's counts too"


def test_one_learner_revising_at_once_keeps_every_version(client):
    student = f"reviser-{uuid.uuid4().hex[:8]}"
    usage = client.usage(HYPOTHESIS_PAGE, student)
    hypothesis = {
        "id": "h1",
        "idea": "I think that heavy things sink.",
        "reason": "because they push down harder.",
        "prediction": "If I put a big log in water, it sinks.",
        "confidence": 3,
    }
    assert client.call(usage, "submit_step", student, {"hypotheses": [hypothesis]}).status_code == 200

    def revise(number):
        payload = {"id": "h1", "verdict": "refuted", "justification": f"Observation {number}.", "confidence": 1}
        return client.call(usage, "revise_hypothesis", student, payload).status_code

    with ThreadPoolExecutor(max_workers=REVISIONS) as pool:
        assert list(pool.map(revise, range(REVISIONS))) == [200] * REVISIONS

    rows = [row for row in client.staff_csv(usage) if row["anonymous_user_id"] == anonymous_id(student)]
    assert sorted(int(row["version"]) for row in rows) == list(range(1, REVISIONS + 2)), "no version lost or doubled"
    assert sorted(row["kind"] for row in rows) == ["revised"] * REVISIONS + ["submitted"]
    for number in range(REVISIONS):
        assert sum(f"Observation {number}." in row["answer"] for row in rows) == 1
