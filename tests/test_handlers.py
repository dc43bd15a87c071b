"""
What every step's handlers share: saving, submitting, grading and completion events,
and refusing bad input with a readable 400 (or 405) while the learner's state stays as it was.
"""

import copy
import json

import pytest

from .conftest import BLOCKS, LIST_FIELD, TEXT_PATH, VALID_WORK, call, user_state, value_at, with_value

ALL = sorted(BLOCKS)


@pytest.mark.parametrize("block_type", ALL)
def test_submit_valid_work_grades_completes_and_tracks(make_block, runtime, block_type):
    block = make_block(block_type)
    status, reply = call(block, "submit_step", VALID_WORK[block_type])
    assert status == 200, reply
    assert reply["state"]["submitted_on"]
    assert reply["state"]["submission_count"] == 1
    step = block_type.split("_")[1]
    assert runtime.event_names() == [f"lamap_xblocks.{step}.submitted", "grade", "completion"]
    grade = dict(runtime.events)["grade"]
    assert grade == {"value": 1.0, "max_value": 1.0, "only_if_higher": None}
    assert dict(runtime.events)["completion"] == {"completion": 1.0}
    assert block.get_score().raw_earned == 1.0
    assert block.has_submitted_answer()


@pytest.mark.parametrize("block_type", ALL)
def test_submitting_the_same_work_twice_is_harmless(make_block, runtime, block_type):
    block = make_block(block_type)
    assert call(block, "submit_step", VALID_WORK[block_type])[0] == 200
    before = user_state(block)
    events = len(runtime.events)
    status, reply = call(block, "submit_step", VALID_WORK[block_type])
    assert status == 200
    assert reply["state"]["submission_count"] == 1
    assert len(runtime.events) == events, "a repeated submission publishes nothing new"
    after = user_state(block)
    assert {k: v for k, v in after.items() if k != "saved_on"} == {k: v for k, v in before.items() if k != "saved_on"}


@pytest.mark.parametrize("block_type", ALL)
def test_resubmitting_changed_work_publishes_resubmitted(make_block, runtime, block_type):
    block = make_block(block_type)
    call(block, "submit_step", VALID_WORK[block_type])
    path = TEXT_PATH[block_type]
    changed = with_value(VALID_WORK[block_type], path, value_at(VALID_WORK[block_type], path) + " (revised)")
    runtime.events.clear()
    status, reply = call(block, "submit_step", changed)
    assert status == 200, reply
    step = block_type.split("_")[1]
    assert runtime.event_names()[0] == f"lamap_xblocks.{step}.resubmitted"
    assert reply["state"]["submission_count"] == 2


@pytest.mark.parametrize("block_type", ALL)
def test_draft_saves_without_grading(make_block, runtime, block_type):
    block = make_block(block_type)
    status, reply = call(block, "save_draft", VALID_WORK[block_type])
    assert status == 200
    assert reply["message"] == "Draft saved."
    assert reply["state"]["submitted_on"] is None
    assert "Not submitted yet" in reply["status"]
    assert runtime.events == []


@pytest.mark.parametrize("block_type", ALL)
def test_draft_after_submission_is_flagged_not_ungraded(make_block, runtime, block_type):
    block = make_block(block_type)
    call(block, "submit_step", VALID_WORK[block_type])
    changed = with_value(VALID_WORK[block_type], TEXT_PATH[block_type], "changed")
    status, reply = call(block, "save_draft", changed)
    assert status == 200
    assert reply["state"]["unsubmitted_changes"] is True
    assert "These changes are not submitted yet" in reply["status"]
    assert block.get_score().raw_earned == 1.0


@pytest.mark.parametrize("block_type", ALL)
def test_ungraded_block_publishes_completion_but_no_grade(make_block, runtime, block_type):
    block = make_block(block_type, scored=False)
    assert not block.has_score
    assert call(block, "submit_step", VALID_WORK[block_type])[0] == 200
    assert "grade" not in runtime.event_names()
    assert "completion" in runtime.event_names()


@pytest.mark.parametrize("block_type", ALL)
def test_get_is_refused_with_405(make_block, block_type):
    block = make_block(block_type)
    for handler in ("save_draft", "submit_step", "submit_studio_edits"):
        status, reply = call(block, handler, method="GET")
        assert status == 405
        assert reply["error"] == "This request must be sent with POST."


def bad_inputs(block_type):
    """(description, body) pairs every handler must refuse."""
    valid = VALID_WORK[block_type]
    text, items = TEXT_PATH[block_type], LIST_FIELD[block_type]
    missing = dict(valid)
    missing.pop(items)
    return [
        ("malformed JSON", b"{not json"),
        ("a list instead of an object", json.dumps([valid]).encode()),
        ("a missing field", json.dumps(missing).encode()),
        ("an extra field", json.dumps(dict(valid, surprise=1)).encode()),
        ("a number for text", json.dumps(with_value(valid, text, 42)).encode()),
        ("null for text", json.dumps(with_value(valid, text, None)).encode()),
        ("oversized text", json.dumps(with_value(valid, text, "x" * 100_001)).encode()),
        ("text for a list", json.dumps(dict(valid, **{items: "not a list"})).encode()),
        ("too many items", json.dumps(dict(valid, **{items: valid[items] * 200})).encode()),
    ]


CASES = [(block_type, description, body) for block_type in ALL for description, body in bad_inputs(block_type)]


@pytest.mark.parametrize("block_type,description,body", CASES, ids=[f"{b}-{d}" for b, d, _ in CASES])
@pytest.mark.parametrize("handler", ["save_draft", "submit_step"])
def test_bad_input_is_refused_and_changes_nothing(make_block, runtime, block_type, description, body, handler):
    block = make_block(block_type)
    assert call(block, "submit_step", VALID_WORK[block_type])[0] == 200
    before = user_state(block)
    runtime.events.clear()
    status, reply = call(block, handler, raw=body)
    assert status == 400, (description, reply)
    assert isinstance(reply["error"], str) and len(reply["error"]) > 10
    assert user_state(block) == before, f"{description} changed the learner's state"
    assert runtime.events == []


@pytest.mark.parametrize("block_type", ALL)
def test_error_messages_name_the_field(make_block, block_type):
    block = make_block(block_type)
    path = TEXT_PATH[block_type]
    status, reply = call(block, "save_draft", with_value(VALID_WORK[block_type], path, "x" * 100_001))
    assert status == 400
    specs = block.work_specs()[path[0]]
    label = specs.label if len(path) == 1 else specs.item.fields[path[-1]].label
    assert label in reply["error"], reply
    assert "too long: 100001 characters" in reply["error"]


@pytest.mark.parametrize("block_type", ALL)
def test_incomplete_submission_says_what_is_missing_and_keeps_the_work_as_a_draft(make_block, runtime, block_type):
    block = make_block(block_type)
    partial = copy.deepcopy(VALID_WORK[block_type])
    blank = {name: type(value)() if isinstance(value, (list, dict)) else "" for name, value in partial.items()}
    if block_type == "lamap_question":
        blank["chosen_question"] = None
    status, reply = call(block, "submit_step", blank)
    assert status == 400
    assert reply["error"].startswith("Not submitted yet:")
    assert reply["draft_saved"] is True and reply["status"].startswith("Draft saved on")
    assert runtime.events == []
    state = call(block, "student_view_user_state", method="GET")[1]
    assert state["submitted_on"] is None and state["saved_on"]
    # What was typed is kept even though the submission was refused.
    texts = [name for name, value in partial.items() if isinstance(value, str) and value]
    if texts:
        status, reply = call(block, "submit_step", dict(blank, **{texts[0]: partial[texts[0]]}))
        assert status == 400
        assert call(block, "student_view_user_state", method="GET")[1][texts[0]] == partial[texts[0]]


@pytest.mark.parametrize("block_type", ALL)
def test_user_state_handler_for_mobile(make_block, block_type):
    block = make_block(block_type)
    call(block, "submit_step", VALID_WORK[block_type])
    status, state = call(block, "student_view_user_state", method="GET")
    assert status == 200
    assert state["submitted_on"]
    for name in block.WORK_FIELDS:
        assert name in state


@pytest.mark.parametrize("block_type", ALL)
def test_student_view_data_holds_authored_content_only(make_block, block_type):
    block = make_block(block_type, display_name="Authored title", prompt="Do **this**.")
    call(block, "submit_step", VALID_WORK[block_type])
    data = block.student_view_data()
    assert data["display_name"] == "Authored title"
    assert data["prompt_html"] == "<p>Do <strong>this</strong>.</p>"
    serialised = json.dumps(data)
    for name in block.WORK_FIELDS + ("submitted_on", "saved_on"):
        assert f'"{name}"' not in serialised
    assert "reference_questions" not in data
    assert block.supports("multi_device")
