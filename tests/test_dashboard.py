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


def test_one_learners_investigation_and_the_pooled_chart(make_block, users):
    from lxml import html  # noqa: PLC0415

    investigation(make_block, learners=("a", "b", "c"))
    users.staff.add("teacher")
    staff = as_user(make_block("lamap_notebook", investigation="floating", stalled_days=3), "teacher")
    board = html.fromstring(staff.render("student_view", {}).content).cssselect("[data-dashboard]")[0]
    svg = board.cssselect("svg.lamap-chart-svg")[0]
    marks = svg.cssselect(".lamap-mark")
    assert len(marks) == 3 * 6, "every learner's rows"
    names = {mark.cssselect("title")[0].text.split(":")[0] for mark in marks}
    assert names == {"anon-a", "anon-b", "anon-c"}, "each point names its learner, anonymously"
    status, reply = call(staff, "learner_view", {"learner": "anon-b"})
    assert status == 200
    view = html.fromstring(reply["html"])
    assert "Experiment" in view.text_content() and view.cssselect("table.lamap-data")
    status, reply = call(staff, "learner_view", {"learner": "nobody"})
    assert status == 400 and "No learner" in reply["error"]
    learner = as_user(staff, "a")
    assert call(learner, "learner_view", {"learner": "anon-b"})[0] == 403


def test_learners_see_and_cite_the_class_data_once_enough_others_submitted(make_block):
    from lxml import html  # noqa: PLC0415

    from .test_evidence import FLOATING_EXPERIMENT, FLOATING_WORK  # noqa: PLC0415

    hypothesis = make_block("lamap_hypothesis", investigation="floating")
    experiment = make_block(
        "lamap_experiment", investigation="floating", pool_after_submit=True, pool_minimum=2, **FLOATING_EXPERIMENT
    )
    argumentation = make_block("lamap_argumentation", investigation="floating")
    for learner in ("a", "b", "c"):
        call(as_user(hypothesis, learner), "submit_step", copy.deepcopy(VALID_WORK["lamap_hypothesis"]))
    status, reply = call(as_user(experiment, "a"), "submit_step", copy.deepcopy(FLOATING_WORK))
    assert status == 200 and "once 2 other learners have submitted" in reply["feedback_html"]
    for learner in ("b", "c"):
        call(as_user(experiment, learner), "submit_step", copy.deepcopy(FLOATING_WORK))
    page = html.fromstring(as_user(experiment, "a").render("student_view", {}).content)
    panel = page.cssselect(".lamap-class-results")[0]
    assert "2 other learners" in panel.text_content()
    assert len(panel.cssselect("svg .lamap-mark")) == 2 * len(FLOATING_WORK["rows"]), "the others only"
    argument = as_user(argumentation, "a")
    offers = {offer["source"]: offer for offer in argument.citations()}
    assert offers["class"]["text"].startswith("The class's results (2 other learners): Mass (g) against volume")
    work = dict(copy.deepcopy(VALID_WORK["lamap_argumentation"]), hypothesis_verdict="supported")
    work["evidence"] = [{"text": offers["class"]["text"], "source": "class"}]
    assert call(argument, "submit_step", work)[0] == 200
