"""
Every handler of every block, and who may call it: the table below says who (any
learner, course staff, the course team editing, nobody), with which method, and what it
changes. A handler missing from the table fails the first test, so a new one is
classified before it ships. Then, for each: a learner is refused what is not theirs with
a readable 403, the wrong method a readable 405, an oversized body a 413, a deeply
nested body a 400, never a 5xx; the notebook's notes never reach the store or an event;
a retired learner's work is gone from every table, board and export.
"""

import json

import pytest
from webob import Request

from lamap_xblocks import models, store

from .conftest import ALL_BLOCKS, as_user, call, user_state
from .test_exports import investigation

# handler: (who may call it, method, what it changes)
HANDLERS = {
    "save_draft": ("learner", "POST", "the learner's own draft"),
    "submit_step": ("learner", "POST", "the learner's own work, a store record, grade and completion"),
    "student_view_user_state": ("learner", "GET", "nothing: the learner's own state"),
    "revise_hypothesis": ("learner", "POST", "the learner's own hypothesis: a store record"),
    "chart_data": ("learner", "POST", "nothing: a chart of the rows as typed"),
    "board_page": ("learner", "POST", "nothing: a page of the class board (after the learner's submission)"),
    "endorse_contribution": ("learner", "POST", "the learner's own endorsement"),
    "flag_contribution": ("learner", "POST", "the learner's own report to staff"),
    "submit_peer_review": ("learner", "POST", "the learner's own comments on an argument given to them"),
    "download": ("learner", "GET", "nothing: the learner's own notebook"),
    "hide_contribution": ("staff", "POST", "a contribution's visibility on the board"),
    "score_with_rubric": ("staff", "POST", "a learner's grade: staff's rubric score, which stands"),
    "staff_csv": ("staff", "GET", "nothing: every learner's submissions, anonymous"),
    "export": ("staff", "GET", "nothing: the investigation's tables, anonymous"),
    "learner_view": ("staff", "POST", "nothing: one learner's investigation"),
    "dashboard_page": ("staff", "POST", "nothing: a page of the dashboard's grid"),
    "dashboard_view": ("staff", "POST", "nothing: the dashboard of one investigation"),
    "submit_studio_edits": ("author", "POST", "the block's authored settings, for everyone"),
    "chart_preview": ("author", "POST", "nothing: the author's unsaved chart on made-up results"),
}
NOTEBOOK_REFUSES = {"submit_step"}  # private notes: saved, never submitted
JSON = [name for name, (_who, method, _changes) in HANDLERS.items() if method == "POST"]


def handlers_of(cls):
    return {name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False)}


@pytest.mark.parametrize("block_type", sorted(ALL_BLOCKS))
def test_every_handler_is_in_the_table(block_type):
    unknown = handlers_of(ALL_BLOCKS[block_type]) - set(HANDLERS)
    assert not unknown, f"classify these handlers in HANDLERS: {sorted(unknown)}"


CASES = [
    (block_type, name)
    for block_type, cls in sorted(ALL_BLOCKS.items())
    for name in sorted(handlers_of(cls))
    if HANDLERS[name][0] in ("staff", "author")
]


@pytest.mark.parametrize("block_type,handler", CASES, ids=[f"{b}-{h}" for b, h in CASES])
def test_learners_are_refused_staff_and_authoring_handlers(make_block, runtime, block_type, handler):
    block = make_block(block_type, investigation="floating")
    before = user_state(block)
    if HANDLERS[handler][1] == "GET":
        response = block.handle(handler, Request.blank("/?format=zip"))
        assert response.status_code == 403
        assert response.text.strip(), "a readable message, never an empty body"
    else:
        status, reply = call(block, handler, {})
        assert status == 403 and reply["error"] in (
            "Only course staff can do this.",
            "Only the course team can change this block.",
        ), reply
    assert user_state(block) == before and runtime.events == []


def test_the_notebook_refuses_to_submit_and_never_records_or_publishes_notes(make_block, runtime, users):
    notebook = make_block("lamap_notebook", investigation="floating")
    secret = "My private doubts about density."
    status, reply = call(notebook, "submit_step", {"notes": secret})
    assert status == 403 and "private" in reply["error"]
    assert call(notebook, "save_draft", {"notes": secret})[0] == 200
    assert notebook.notes == secret, "saved for the learner"
    assert not models.StepRecord.objects.filter(step="notebook").exists()
    assert all(secret not in json.dumps(work) for work in models.StepRecord.objects.values_list("work", flat=True))
    assert all(secret not in json.dumps(data) for _name, data in runtime.events), "no event carries the notes"
    users.staff.add("teacher")
    response = as_user(notebook, "teacher").handle("staff_csv", Request.blank("/"))
    assert response.status_code == 200 and secret not in response.text
    for handler in NOTEBOOK_REFUSES:
        assert HANDLERS[handler][0] == "learner", "refused by the notebook only"


@pytest.mark.parametrize("handler", JSON)
def test_no_body_makes_a_handler_fail_with_a_5xx(make_block, users, handler):
    users.staff.add("student-1")  # past the permission checks, to the body
    for block_type, cls in sorted(ALL_BLOCKS.items()):
        if handler not in handlers_of(cls):
            continue
        block = make_block(block_type, investigation="floating")
        before = user_state(block)
        deep = b"[" * 100_000 + b"]" * 100_000
        status, reply = call(block, handler, raw=deep)
        assert (status, reply["error"]) == (400, "The request is nested too deeply."), block_type
        status, reply = call(block, handler, raw=b'{"notes": "' + b"x" * 1_000_001 + b'"}')
        assert status == 413 and "1 MB" in reply["error"], block_type
        status, reply = call(block, handler, raw=b"\xff\xfe not utf-8")
        assert (status, reply["error"]) == (400, "The request is not valid JSON."), block_type
        status, reply = call(block, handler, method="GET")
        assert status == 405 and reply["error"] == "This request must be sent with POST.", block_type
        assert user_state(block) == before, f"{block_type}.{handler} changed the learner's state"


def test_a_retired_learners_work_is_gone_from_every_table_board_and_export(make_block, users):
    blocks = investigation(make_block, learners=("gone", "stays"))
    course = blocks.question.course_key
    gone = "anon-gone"
    board = str(blocks.argumentation.scope_ids.usage_id)
    store.contribute(course_id=course, investigation="floating", usage_id=board, learner=gone, text="x", shared=True)
    store.retire_learners([gone])
    for model, field in (
        (models.StepRecord, "learner"),
        (models.Contribution, "learner"),
        (models.LearnerProgress, "learner"),
        (models.PeerReview, "reviewer"),
        (models.Endorsement, "learner"),
        (models.Flag, "learner"),
    ):
        assert not model.objects.filter(**{field: gone}).exists(), model.__name__
    users.staff.add("teacher")
    staff = as_user(blocks.question, "teacher")
    for query in ("/?format=jsonl", "/?format=zip"):
        response = staff.handle("export", Request.blank(query))
        assert response.status_code == 200 and gone.encode() not in response.body
    assert gone not in staff.handle("staff_csv", Request.blank("/")).text
    from lamap_xblocks import dashboard  # noqa: PLC0415

    assert dashboard.tallies(course, "floating")["learners"] == 1
    assert store.history(course_id=course, learner="anon-stays")
