"""
The trainer's dashboard data on hand-built classes with known answers: the progress grid
(states, filters, pages, bad filters), indicators per step, and who needs attention.
"""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from lamap_xblocks import dashboard, models, store

from .conftest import VALID_WORK, as_user, call
from .test_evidence import FLOATING_WORK
from .test_exports import investigation

COURSE = "course-v1:lamap+test+2026"


def test_the_grid_shows_each_learners_steps_and_filters_them(make_block):
    blocks = investigation(make_block, learners=("a", "b"))
    submit = lambda block, learner, work: call(as_user(block, learner), "submit_step", copy.deepcopy(work))  # noqa: E731
    submit(blocks.question, "c", VALID_WORK["lamap_question"])  # c stopped after the question
    submit(blocks.question, "a", dict(VALID_WORK["lamap_question"], testable_reason="Revised."))
    call(as_user(blocks.hypothesis, "c"), "save_draft", copy.deepcopy(VALID_WORK["lamap_hypothesis"]))
    call(as_user(blocks.question, "d"), "save_draft", copy.deepcopy(VALID_WORK["lamap_question"]))  # a draft only
    course = blocks.question.course_key
    grid = dashboard.progress(course, "floating")
    assert grid["total"] == 4 and grid["pages"] == 1
    rows = dict(grid["rows"])
    assert list(rows) == ["anon-a", "anon-b", "anon-c", "anon-d"], "in the order of their anonymous ids"
    assert rows["anon-a"]["question"]["versions"] == 2, "revised"
    assert rows["anon-b"]["question"]["versions"] == 1
    assert rows["anon-c"]["experiment"] is None, "not started"
    assert rows["anon-c"]["hypothesis"]["versions"] == 0 and rows["anon-c"]["hypothesis"]["draft"], "a draft"
    assert rows["anon-d"]["question"]["versions"] == 0
    filtered = dashboard.progress(course, "floating", submitted=("question",), missing=("experiment",))
    assert [learner for learner, _cells in filtered["rows"]] == ["anon-c"] and filtered["total"] == 1
    nothing_yet = dashboard.progress(course, "floating", missing=("question",))
    assert [learner for learner, _cells in nothing_yet["rows"]] == ["anon-d"], "drafts are not submissions"
    with pytest.raises(dashboard.FilterError):
        dashboard.progress(course, "floating", submitted=("dancing",))
    with pytest.raises(dashboard.FilterError):
        dashboard.progress(course, "floating", page=2)


def test_the_grid_pages_a_large_class_in_order():
    learners = [f"{number:032x}" for number in range(dashboard.PAGE_SIZE * 2 + 3)]
    for number, learner in enumerate(learners):
        for step in ("question",) if number % 3 == 0 else ("question", "hypothesis"):
            store.record_step(
                course_id=COURSE, investigation="big", usage_id=f"block-{step}", step=step,
                learner=learner, kind="submitted", title=step, work={},
            )  # fmt: skip
    first, last = dashboard.progress(COURSE, "big", page=1), dashboard.progress(COURSE, "big", page=3)
    assert (first["total"], first["pages"], len(first["rows"]), len(last["rows"])) == (103, 3, 50, 3)
    assert [row[0] for row in first["rows"]] == learners[:50] and last["rows"][-1][0] == learners[-1]
    # Two kinds of progress match "submitted the question": their pages are merged in order.
    questioned = dashboard.progress(COURSE, "big", submitted=("question",), page=2)
    assert questioned["total"] == 103 and [row[0] for row in questioned["rows"]] == learners[50:100]
    only_question = dashboard.progress(COURSE, "big", submitted=("question",), missing=("hypothesis",))
    assert [row[0] for row in only_question["rows"]] == learners[::3] and only_question["total"] == 35


def test_indicators_on_a_class_with_known_answers(make_block):
    blocks = investigation(make_block, learners=("a", "b"))
    unsure = copy.deepcopy(VALID_WORK["lamap_question"])
    unsure["testable"] = "unsure"
    call(as_user(blocks.question, "b"), "submit_step", unsure)
    # b's argument again, less sure now: the hypothesis is revisited a second time.
    argument = dict(copy.deepcopy(VALID_WORK["lamap_argumentation"]), hypothesis_verdict="refuted", confidence_now=1)
    argument["evidence"][0]["source"] = "row-1"  # and now cites a row of the results
    argument["verdict_reason"] = "The heavy log floated."
    assert call(as_user(blocks.argumentation, "b"), "submit_step", argument)[0] == 200
    figures = dashboard.indicators(blocks.question.course_key, "floating")
    assert figures["learners"] == {"question": 2, "hypothesis": 2, "experiment": 2, "argumentation": 2}
    assert figures["question"]["investigable"] == 50, "a: yes; b now: unsure"
    assert figures["question"]["testable"] == {"yes": 1, "no": 0, "unsure": 1}
    assert figures["question"]["common"] == [("Do heavy things always sink?", 2)]
    hypothesis = figures["hypothesis"]
    assert hypothesis["complete"] == 100
    assert hypothesis["verdicts"] == {"supported": 0, "refuted": 2, "unsure": 0, "none": 0}
    assert hypothesis["confidence"]["before"] == [0, 0, 2, 0], "both stated 3 (fairly sure)"
    assert hypothesis["confidence"]["after"] == [1, 0, 1, 0], "a still 3, b now 1"
    assert (hypothesis["confidence_before"], hypothesis["confidence_after"]) == (3, 2)
    assert figures["experiment"]["checks"] == {
        "one_variable": 100,
        "values": 100,
        "controlled": 100,
        "prediction_first": 100,
    }
    assert figures["experiment"]["trials_per_condition"] == 1.2, "6 rows over 5 objects"
    assert figures["experiment"]["trials"] == [(0, 0), (1, 2), (2, 0), (3, 0)]
    assert figures["argumentation"]["citing_results"] == 50, "b now cites row 1"
    assert figures["argumentation"]["evidence_per_argument"] == 2
    assert figures["argumentation"]["evidence"] == [(0, 0), (1, 0), (2, 2), (3, 0), (4, 0)]


def test_similar_questions_are_counted_together():
    for learner, text in (("a", "Why does the log float?"), ("b", "why does a  log FLOAT"), ("c", "What melts ice?")):
        work = {"questions": [text], "chosen_question": 0, "testable": "yes"}
        store.record_step(
            course_id=COURSE, investigation="q", usage_id="q1", step="question", learner=learner,
            kind="submitted", title="Q", work=work,
        )  # fmt: skip
    assert dashboard.indicators(COURSE, "q")["question"]["common"] == [
        ("Why does the log float?", 2),
        ("What melts ice?", 1),
    ]


def test_the_running_counts_equal_a_recount_from_the_records(make_block):
    """Every submission moves the tallies; recounting everything from the records gives the same."""
    blocks = investigation(make_block, learners=("a", "b", "c"))
    call(as_user(blocks.question, "a"), "submit_step", dict(VALID_WORK["lamap_question"], testable="no"))
    call(as_user(blocks.hypothesis, "d"), "submit_step", copy.deepcopy(VALID_WORK["lamap_hypothesis"]))
    course = blocks.question.course_key
    board = "peer-board"
    for learner in ("anon-a", "anon-b"):
        store.contribute(
            course_id=course, investigation="floating", usage_id=board, learner=learner, text="An argument", shared=True
        )
    review = store.assign_reviews(board, "anon-a", 1, [])[0]
    store.submit_review(board, review.pk, "anon-a", [0], "Clear.")
    store.submit_review(board, review.pk, "anon-a", [0], "Clear, edited.")  # an edit is not a new review
    counted = dashboard.tallies(course, "floating")
    rows = progress_rows(course)
    assert counted["reviews"] == counted["reviewers"] == counted["reviewed"] == 1
    store.rebuild_progress(course, "floating")
    assert dashboard.tallies(course, "floating") == counted
    assert progress_rows(course) == rows


def progress_rows(course):
    rows = models.LearnerProgress.objects.filter(course_id=course, investigation="floating").order_by("learner")
    return [(row.learner, row.submitted, row.plan_failing, row.no_evidence, row.steps) for row in rows]


def test_retired_learners_leave_the_counts(make_block):
    blocks = investigation(make_block, learners=("a", "b"))
    course = blocks.question.course_key
    store.retire_learners(["anon-b"])
    assert dashboard.tallies(course, "floating")["learners"] == 1
    assert [learner for learner, _cells in dashboard.progress(course, "floating")["rows"]] == ["anon-a"]


def test_who_needs_attention(make_block):
    blocks = investigation(make_block, learners=("a",))
    call(as_user(blocks.question, "late"), "submit_step", copy.deepcopy(VALID_WORK["lamap_question"]))
    unfair = dict(copy.deepcopy(FLOATING_WORK), controlled_variables=[FLOATING_WORK["changed_variable"]])
    call(as_user(blocks.experiment, "late"), "submit_step", unfair)
    course = blocks.question.course_key
    later = datetime.now(UTC) + timedelta(days=10)
    found = dashboard.needs_attention(course, "floating", stalled_days=7, now=later)
    assert ("anon-late", "stalled", 9) in found["items"] or ("anon-late", "stalled", 10) in found["items"]
    assert not [1 for learner, reason, _ in found["items"] if learner == "anon-a" and reason == "stalled"], "a argued"
    assert ("anon-a", "no_evidence", None) in found["items"]
    assert ("anon-late", "plan", ["one_variable"]) in found["items"]
    assert found["counts"] == {"stalled": 1, "plan": 1, "no_evidence": 1}
    patient = dashboard.needs_attention(course, "floating", stalled_days=30, now=later)
    assert patient["counts"]["stalled"] == 0 and not [item for item in patient["items"] if item[1] == "stalled"]
    call(as_user(blocks.argumentation, "late"), "save_draft", copy.deepcopy(VALID_WORK["lamap_argumentation"]))
    busy = dashboard.needs_attention(course, "floating", stalled_days=7, now=datetime.now(UTC) + timedelta(days=3))
    assert busy["counts"]["stalled"] == 0, "a draft saved lately is not stalling"


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
    assert "100% give a reason and a prediction" in board.text_content()
    charts = {svg.cssselect("title")[0].text: svg for svg in board.cssselect(".lamap-indicator svg")}
    assert list(charts) == [
        "Could an experiment answer the question?",
        "Verdicts on the hypotheses",
        "How sure the learners were, before and after the evidence",
        "Plans passing each fair-test check",
        "Learners by trials per condition",
        "Arguments by pieces of evidence",
    ]
    confidence = charts["How sure the learners were, before and after the evidence"]
    bars = [rect.cssselect("title")[0].text for rect in confidence.cssselect("rect")]
    assert bars == ["Fairly sure, Before: 2", "Fairly sure, After: 2"], "each bar names its level, moment and count"
    assert "Not sure at all: Before: 0, After: 0" in confidence.cssselect("desc")[0].text
    checks = charts["Plans passing each fair-test check"]
    assert [rect.cssselect("title")[0].text for rect in checks.cssselect("rect")][0] == (
        "Only one variable is changed, 100%"
    )
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
    svg = board.cssselect(".lamap-pooled-chart svg.lamap-chart-svg")[0]
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


def test_a_course_wide_notebook_lets_staff_choose_the_investigation(make_block, users):
    from lxml import html  # noqa: PLC0415
    from webob import Request  # noqa: PLC0415

    investigation(make_block, learners=("a", "b"))
    melting = make_block("lamap_question", investigation="melting")
    call(as_user(melting, "m"), "submit_step", copy.deepcopy(VALID_WORK["lamap_question"]))
    users.staff.add("teacher")
    notebook = as_user(make_block("lamap_notebook"), "teacher")  # no investigation: the whole course
    board = html.fromstring(notebook.render("student_view", {}).content).cssselect("[data-dashboard]")[0]
    options = board.cssselect("select[data-dashboard-investigation] option")
    assert [option.get("value") for option in options] == ["floating", "melting"]
    assert board.cssselect(".lamap-dashboard-body")[0].get("data-investigation") == "floating"
    status, reply = call(notebook, "dashboard_view", {"investigation": "melting"})
    assert status == 200
    melted = html.fromstring(reply["html"])
    assert melted.get("data-investigation") == "melting"
    assert [row.cssselect("code")[0].text for row in melted.cssselect("table.lamap-grid tbody tr")] == ["anon-m"]
    status, reply = call(
        notebook, "dashboard_page", {"page": 1, "submitted": [], "missing": [], "investigation": "melting"}
    )
    assert status == 200 and "1 learner " in html.fromstring(reply["html"]).text_content()
    status, reply = call(notebook, "learner_view", {"learner": "anon-a", "investigation": "melting"})
    assert status == 400, "a worked in floating only"
    status, reply = call(notebook, "dashboard_view", {"investigation": "sailing"})
    assert status == 400 and "sailing" in reply["error"]
    response = notebook.handle("export", Request.blank("/?format=jsonl&investigation=melting"))
    assert response.status_code == 200 and response.body.count(b"\n") == 2, "the question and its one choice"
    assert notebook.handle("export", Request.blank("/?format=zip&investigation=sailing")).status_code == 400
    assert call(as_user(notebook, "a"), "dashboard_view", {"investigation": "melting"})[0] == 403


def test_the_recount_command_rebuilds_what_bulk_writes_left_out(make_block):
    from io import StringIO  # noqa: PLC0415

    from django.core.management import call_command  # noqa: PLC0415

    blocks = investigation(make_block, learners=("a", "b"))
    course = blocks.question.course_key
    counted = dashboard.tallies(course, "floating")
    models.StepRecord.objects.bulk_create(  # an import writes records without the blocks
        [
            models.StepRecord(
                course_id=course, investigation="floating", usage_id="imported", step="question",
                learner="anon-z", version=1, kind="submitted", title="Q", work=VALID_WORK["lamap_question"],
            )
        ]
    )  # fmt: skip
    assert dashboard.tallies(course, "floating") == counted, "bulk writes move nothing"
    out = StringIO()
    call_command("lamap_recount", "--course", course, stdout=out)
    assert f"{course} floating: 3 learners counted" in out.getvalue()
    assert dashboard.tallies(course, "floating")["question"] == 3
    assert dashboard.progress(course, "floating")["total"] == 3


def test_the_migration_counts_the_classes_already_in_the_store():
    """0003 counts, with its historical models, the submissions made before the dashboard's tables."""
    import importlib  # noqa: PLC0415

    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.loader import MigrationLoader  # noqa: PLC0415

    migration = importlib.import_module("lamap_xblocks.migrations.0003_class_progress")
    historical = MigrationLoader(connection).project_state(("lamap_xblocks", "0003_class_progress")).apps
    work = {"questions": ["Why does the log float?"], "chosen_question": 0, "testable": "yes"}
    models.StepRecord.objects.bulk_create(  # written by the version before, which kept no counts
        models.StepRecord(
            course_id=COURSE, investigation="old", usage_id="q", step="question", learner=learner,
            version=1, kind="submitted", title="Q", work=work,
        )
        for learner in ("a", "b")
    )  # fmt: skip
    assert dashboard.progress(COURSE, "old")["total"] == 0
    migration.count_existing_classes(historical, None)
    assert dashboard.progress(COURSE, "old")["total"] == 2
    assert dashboard.indicators(COURSE, "old")["question"]["common"] == [("Why does the log float?", 2)]


def test_the_grid_sorts_by_activity_and_by_how_far_learners_went():
    from django.utils import timezone  # noqa: PLC0415

    for learner, steps in (("a", 1), ("b", 3), ("c", 2), ("d", 4), ("e", 3)):
        for step in dashboard.STEPS[:steps]:
            store.record_step(
                course_id=COURSE, investigation="sorted", usage_id=f"block-{step}", step=step,
                learner=learner, kind="submitted", title=step, work={},
            )  # fmt: skip
    # Their last activity, oldest first: c, a, e, d, b.
    for days, learner in enumerate(("b", "d", "e", "a", "c")):
        moment = timezone.now() - timedelta(days=days)
        models.LearnerProgress.objects.filter(investigation="sorted", learner=learner).update(last_activity=moment)
    order = lambda **kwargs: [learner for learner, _ in dashboard.progress(COURSE, "sorted", **kwargs)["rows"]]  # noqa: E731
    assert order() == ["a", "b", "c", "d", "e"]
    assert order(order="recent") == ["b", "d", "e", "a", "c"]
    assert order(order="idle") == ["c", "a", "e", "d", "b"]
    assert order(order="furthest") == ["d", "b", "e", "c", "a"]
    started = {"submitted": ("question",), "missing": ("argumentation",)}  # three kinds of progress, merged
    assert order(order="idle", **started) == ["c", "a", "e", "b"]
    assert order(order="recent", **started) == ["b", "e", "a", "c"]
    with pytest.raises(dashboard.FilterError):
        dashboard.progress(COURSE, "sorted", order="alphabetical")


def test_the_dashboard_page_handler_sorts_and_refuses_unknown_orders(make_block, users):
    from lxml import html  # noqa: PLC0415

    investigation(make_block, learners=("a", "b"))
    users.staff.add("teacher")
    staff = as_user(make_block("lamap_notebook", investigation="floating"), "teacher")
    request = {"page": 1, "submitted": [], "missing": [], "order": "furthest"}
    status, reply = call(staff, "dashboard_page", request)
    grid = html.fromstring(reply["html"])
    assert status == 200 and grid.cssselect("[data-dashboard-order] option[selected]")[0].get("value") == "furthest"
    status, reply = call(staff, "dashboard_page", dict(request, order="by name"))
    assert status == 400 and "Order must be one of" in reply["error"]
