"""
The trainer's dashboard data on hand-built classes with known answers: the progress grid
(states, filters, pages, bad filters), indicators per step, and who needs attention.
"""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from lamap_xblocks import dashboard

from .conftest import VALID_WORK, as_user, call
from .test_exports import investigation


def test_the_grid_shows_each_learners_steps_and_filters_them(make_block):
    blocks = investigation(make_block, learners=("a", "b"))
    submit = lambda block, learner, work: call(as_user(block, learner), "submit_step", copy.deepcopy(work))  # noqa: E731
    submit(blocks.question, "c", VALID_WORK["lamap_question"])  # c stopped after the question
    submit(blocks.question, "a", dict(VALID_WORK["lamap_question"], testable_reason="Revised."))
    course = blocks.question.course_key
    grid = dashboard.progress(course, "floating")
    assert grid["total"] == 3 and grid["pages"] == 1
    rows = dict(grid["rows"])
    assert rows["anon-a"]["question"]["versions"] == 2, "revised"
    assert rows["anon-b"]["question"]["versions"] == 1
    assert rows["anon-c"]["experiment"] is None
    filtered = dashboard.progress(course, "floating", submitted=("question",), missing=("experiment",))
    assert [learner for learner, _cells in filtered["rows"]] == ["anon-c"]
    with pytest.raises(dashboard.FilterError):
        dashboard.progress(course, "floating", submitted=("dancing",))
    with pytest.raises(dashboard.FilterError):
        dashboard.progress(course, "floating", page=2)


def test_indicators_on_a_class_with_known_answers(make_block):
    blocks = investigation(make_block, learners=("a", "b"))
    unsure = copy.deepcopy(VALID_WORK["lamap_question"])
    unsure["testable"] = "unsure"
    call(as_user(blocks.question, "b"), "submit_step", unsure)
    figures = dashboard.indicators(blocks.question.course_key, "floating")
    assert figures["learners"] == {"question": 2, "hypothesis": 2, "experiment": 2, "argumentation": 2}
    assert figures["question"]["investigable"] == 50, "a: yes; b now: unsure"
    assert figures["question"]["common"] == [("Do heavy things always sink?", 2)]
    assert figures["hypothesis"]["complete"] == 100
    assert figures["hypothesis"]["confidence_before"] == figures["hypothesis"]["confidence_after"] == 3
    assert figures["experiment"]["checks"] == {"one_variable": 100, "values": 100, "controlled": 100}
    assert figures["experiment"]["trials_per_condition"] == 1.2, "6 rows over 5 objects"
    assert figures["argumentation"]["citing_results"] == 0, "the sample evidence cites no row"
    assert figures["argumentation"]["evidence_per_argument"] == 2


def test_who_needs_attention(make_block):
    blocks = investigation(make_block, learners=("a",))
    call(as_user(blocks.question, "late"), "submit_step", copy.deepcopy(VALID_WORK["lamap_question"]))
    course = blocks.question.course_key
    later = datetime.now(UTC) + timedelta(days=10)
    found = dashboard.needs_attention(course, "floating", stalled_days=7, now=later)
    assert ("anon-late", "stalled", 10) in found or ("anon-late", "stalled", 9) in found
    assert not any(learner == "anon-a" and reason == "stalled" for learner, reason, _ in found), "a argued"
    assert ("anon-a", "no_evidence", None) in found
    patient = dashboard.needs_attention(course, "floating", stalled_days=30, now=later)
    assert not [entry for entry in patient if entry[1] == "stalled"], "not stalled within 30 days"


def test_staff_see_the_dashboard_in_the_notebook_and_learners_never(make_block, users):
    from lxml import html  # noqa: PLC0415

    blocks = investigation(make_block, learners=("a", "b"))
    notebook = make_block("lamap_notebook", investigation="floating")
    assert not html.fromstring(notebook.render("student_view", {}).content).cssselect("[data-dashboard]")
    status, _reply = call(notebook, "dashboard_page", {"page": 1, "submitted": [], "missing": []})
    assert status == 403
    users.staff.add("teacher")
    staff = as_user(notebook, "teacher")
    page = html.fromstring(staff.render("student_view", {}).content)
    board = page.cssselect("[data-dashboard]")[0]
    grid = board.cssselect("table.lamap-grid")[0]
    assert [th.text_content() for th in grid.cssselect("thead th")][1:] == [
        "Question",
        "Hypotheses",
        "Experiment",
        "Argumentation",
    ]
    assert len(grid.cssselect("tbody tr")) == 2 and "Submitted, " in grid.text_content()
    assert "100 % give a reason and a prediction" in board.text_content()
    status, reply = call(staff, "dashboard_page", {"page": 1, "submitted": ["question"], "missing": ["argumentation"]})
    assert status == 200 and "0 learners" in html.fromstring(reply["html"]).text_content()
    status, reply = call(staff, "dashboard_page", {"page": 9, "submitted": [], "missing": []})
    assert status == 400 and "does not exist" in reply["error"]
    status, reply = call(staff, "dashboard_page", {"page": 1, "submitted": ["<b>"], "missing": []})
    assert status == 400
    del blocks
