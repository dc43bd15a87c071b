"""Behaviour particular to each step: choices, versions and revisits, fair-test checks, criteria."""

import pytest
from xblock.field_data import DictFieldData
from xblock.test.tools import TestRuntime

from lamap_xblocks.experiment import fair_test_checks, plan_advice, trial_numbers
from lamap_xblocks.olx import OlxError

from .conftest import VALID_WORK, call, with_value

# ----- question ---------------------------------------------------------------------------


def test_question_chosen_must_be_an_existing_question(make_block):
    block = make_block("lamap_question")
    status, reply = call(block, "save_draft", dict(VALID_WORK["lamap_question"], chosen_question=5))
    assert status == 400 and "must be one of your questions" in reply["error"]
    status, reply = call(
        block, "submit_step", dict(VALID_WORK["lamap_question"], questions=["a", ""], chosen_question=1)
    )
    assert status == 400 and "Choose the question" in reply["error"]


def test_question_minimum_is_the_authors(make_block):
    block = make_block("lamap_question", min_questions=3)
    status, reply = call(block, "submit_step", VALID_WORK["lamap_question"])
    assert status == 400 and "Write at least 3 questions." in reply["error"]


def test_question_testable_answer_is_a_known_choice(make_block):
    block = make_block("lamap_question")
    status, reply = call(block, "save_draft", dict(VALID_WORK["lamap_question"], testable="perhaps"))
    assert status == 400 and "must be one of: yes, no, unsure" in reply["error"]


# ----- hypothesis -------------------------------------------------------------------------

HYPOTHESIS = VALID_WORK["lamap_hypothesis"]["hypotheses"][0]


def revise(block, **changes):
    payload = {"id": "h1", "verdict": "refuted", "justification": "The heavy log floated.", "confidence": 4}
    payload.update(changes)
    return call(block, "revise_hypothesis", payload)


def test_hypothesis_revisit_keeps_every_version(make_block, runtime):
    block = make_block("lamap_hypothesis")
    assert call(block, "submit_step", VALID_WORK["lamap_hypothesis"])[0] == 200
    runtime.events.clear()
    status, reply = revise(block)
    assert status == 200, reply
    item = reply["state"]["hypotheses"][0]
    assert item["verdict"] == "refuted" and item["confidence"] == 4
    assert [version["kind"] for version in item["versions"]] == ["submitted", "revisited"]
    assert item["versions"][0]["confidence"] == 3 and item["versions"][0]["verdict"] == ""
    assert runtime.event_names() == ["lamap_xblocks.hypothesis.revised"]
    assert runtime.events[0][1]["previous_verdict"] == ""
    assert "1 earlier version" in reply["feedback_html"]
    assert "Refuted by the evidence" in reply["feedback_html"]
    # Saving the same revisit twice adds nothing.
    assert revise(block)[0] == 200
    assert len(block.hypotheses[0]["versions"]) == 2
    assert len(runtime.events) == 1


def test_hypothesis_edit_after_submission_adds_a_version(make_block):
    block = make_block("lamap_hypothesis")
    call(block, "submit_step", VALID_WORK["lamap_hypothesis"])
    edited = with_value(VALID_WORK["lamap_hypothesis"], ("hypotheses", 0, "idea"), "I think that shape matters.")
    assert call(block, "save_draft", edited)[0] == 200
    assert len(block.hypotheses[0]["versions"]) == 1, "a draft is not a version"
    assert call(block, "submit_step", edited)[0] == 200
    versions = block.hypotheses[0]["versions"]
    assert [version["kind"] for version in versions] == ["submitted", "edited"]
    assert versions[0]["idea"] == HYPOTHESIS["idea"] and versions[1]["idea"] == "I think that shape matters."


def test_hypothesis_revisit_is_refused_when_invalid(make_block):
    block = make_block("lamap_hypothesis")
    status, reply = revise(block)
    assert status == 400 and "no submitted hypothesis" in reply["error"]
    call(block, "submit_step", VALID_WORK["lamap_hypothesis"])
    before = [dict(item) for item in block.hypotheses]
    for changes, message in [
        ({"justification": ""}, "justification is required"),
        ({"verdict": "maybe"}, "must be one of: supported, refuted, unsure"),
        ({"verdict": ""}, "must be one of"),
        ({"confidence": 9}, "from 1 to 4"),
        ({"id": "nope"}, "no submitted hypothesis"),
        ({"extra": 1}, "unexpected fields: extra"),
    ]:
        status, reply = revise(block, **changes)
        assert status == 400 and message in reply["error"], (changes, reply)
    assert block.hypotheses == before


def test_submitted_hypothesis_cannot_be_removed(make_block):
    block = make_block("lamap_hypothesis")
    call(block, "submit_step", VALID_WORK["lamap_hypothesis"])
    status, reply = call(block, "save_draft", {"hypotheses": []})
    assert status == 400 and "cannot be removed" in reply["error"]
    assert len(block.hypotheses) == 1


def test_hypothesis_ids_must_be_unique(make_block):
    block = make_block("lamap_hypothesis")
    status, reply = call(block, "save_draft", {"hypotheses": [HYPOTHESIS, HYPOTHESIS]})
    assert status == 400 and "its own identifier" in reply["error"]


def test_incomplete_hypothesis_blocks_submission(make_block):
    block = make_block("lamap_hypothesis")
    partial = dict(HYPOTHESIS, id="h2", prediction="", confidence=None)
    status, reply = call(block, "submit_step", {"hypotheses": [HYPOTHESIS, partial]})
    assert status == 400 and "Complete hypothesis 2, or remove it." in reply["error"]


# ----- experiment -------------------------------------------------------------------------

EXPERIMENT = VALID_WORK["lamap_experiment"]


def test_numbers_accept_a_comma_and_are_stored_as_numbers(make_block):
    block = make_block("lamap_experiment")
    assert call(block, "save_draft", EXPERIMENT)[0] == 200
    assert block.rows == [{"condition": "cold", "result": 95}, {"condition": "hot", "result": 30.5}]
    status, reply = call(block, "save_draft", dict(EXPERIMENT, rows=[{"condition": "x", "result": "fast"}]))
    assert status == 400
    assert reply["error"] == "Results table, row 1: Result must be a number, for example 12.5."
    assert reply["problems"] == [{"field": "rows.0.result", "message": reply["error"]}]
    assert block.rows == [{"condition": "cold", "result": 95}, {"condition": "hot", "result": 30.5}]


def test_rows_must_match_the_columns(make_block):
    block = make_block("lamap_experiment")
    status, reply = call(block, "save_draft", dict(EXPERIMENT, rows=[{"condition": "x"}]))
    assert status == 400 and "Missing fields in Row: result" in reply["error"]
    status, reply = call(block, "save_draft", dict(EXPERIMENT, rows=[{"condition": "x", "result": 1, "z": 2}]))
    assert status == 400 and "Unexpected fields in Row: z" in reply["error"]
    block.max_rows = 2
    status, reply = call(block, "save_draft", dict(EXPERIMENT, rows=EXPERIMENT["rows"] * 2))
    assert status == 400 and "Too many items in Results table: 4, the limit is 2" in reply["error"]


COLUMNS = [
    {"key": "condition", "name": "Condition", "unit": "", "type": "text", "role": "changed"},
    {"key": "result", "name": "Result", "unit": "", "type": "number", "role": "measured"},
]


def checks_of(work, prediction_on=None, data_on=None, columns=COLUMNS):
    return {check: passed for check, passed, _, _ in fair_test_checks(work, columns, prediction_on, data_on)}


def test_fair_test_checks_decide_from_the_plan_structure():
    work = dict(EXPERIMENT)
    assert checks_of(work, "2026-01-01T10:00", "2026-01-01T11:00") == {
        "one_variable": True,
        "values": True,
        "controlled": True,
        "prediction_first": True,
    }
    late = checks_of(work, "2026-01-02T00:00", "2026-01-01T00:00")
    assert late["prediction_first"] is False
    both = dict(work, changed_variable="temperature", controlled_variables=["Temperature"])
    assert checks_of(both)["one_variable"] is False
    assert checks_of(dict(work, changed_variable=" "))["one_variable"] is False


@pytest.mark.parametrize(
    "variable",
    [
        "the temperature of the water (cold, warm and hot)",
        "la température de l'eau (froide, tiède et chaude)",
        "salt, sugar or nothing dissolved in the water",  # one variable: what is dissolved
        "speed (km/h)",
    ],
)
def test_a_correct_plan_is_never_refused_for_its_wording(make_block, variable):
    block = make_block("lamap_experiment", required_checks=["one_variable", "values", "controlled"])
    work = dict(EXPERIMENT, changed_variable=variable, changed_values=["cold", "warm", "hot"])
    status, reply = call(block, "submit_step", work)
    assert status == 200, reply
    checks = {check["id"]: check for check in reply["state"]["feedback"]["checks"]}
    assert checks["one_variable"]["passed"] and variable in checks["one_variable"]["message"]


def test_wording_that_may_join_two_variables_is_advice_only(make_block):
    assert plan_advice({"changed_variable": "temperature and sugar"})
    assert not plan_advice({"changed_variable": "the temperature of the water (cold, warm and hot)"})
    block = make_block("lamap_experiment", required_checks=["one_variable"])
    status, reply = call(block, "submit_step", dict(EXPERIMENT, changed_variable="temperature and sugar"))
    assert status == 200
    assert "If “temperature and sugar” names two things" in reply["feedback_html"]


def test_values_come_from_the_plan_or_the_table():
    one_value = dict(EXPERIMENT, changed_values=["hot"], rows=[{"condition": "hot", "result": 1}])
    assert checks_of(one_value)["values"] is False
    from_table = dict(EXPERIMENT, changed_values=[])
    assert checks_of(from_table)["values"] is True  # cold and hot recorded
    repeated = dict(EXPERIMENT, changed_values=["Hot", "hot "], rows=[])
    assert checks_of(repeated)["values"] is False


def test_yesterdays_experiment_state_loads_and_saves(make_block):
    """State written before structured plans: one measured text, no values, columns without roles."""
    block = make_block(
        "lamap_experiment",
        columns=[
            {"key": "condition", "name": "Condition", "unit": "", "type": "text"},
            {"key": "result", "name": "Result", "unit": "s", "type": "number"},
        ],
    )
    block.changed_variable = "temperature and sugar"
    block.measured_variable = "the time to dissolve"
    block.controlled_variables = ["the water"]
    block.prediction = "Faster when hot."
    block.rows = [{"condition": "cold", "result": 95}, {"condition": "cold", "result": 90}]
    block.saved_on = "2026-11-01T10:00:00+00:00"
    content = block.render("student_view", {}).content
    assert 'value="the time to dissolve"' in content
    assert 'value="temperature and sugar"' in content
    assert "<svg" in content and "Trial 2" in content
    work = block.current_work()
    assert work["measured_variables"] == ["the time to dissolve"]
    assert work["changed_variable"] == "temperature and sugar"
    # An old page sends the old shape: still accepted, and nothing is lost.
    old_client = {
        key: value for key, value in EXPERIMENT.items() if key not in ("changed_values", "measured_variables")
    }
    old_client["measured_variable"] = "the time to dissolve"
    status, reply = call(block, "save_draft", old_client)
    assert status == 200 and block.measured_variables == ["the time to dissolve"] and block.changed_values == []


def test_required_check_blocks_submission_with_its_advice(make_block):
    block = make_block("lamap_experiment", required_checks=["controlled"])
    status, reply = call(block, "submit_step", dict(EXPERIMENT, controlled_variables=[]))
    assert status == 400 and "List what you keep the same" in reply["error"]
    assert call(block, "submit_step", EXPERIMENT)[0] == 200


def test_prediction_written_after_results_is_noticed(make_block):
    block = make_block("lamap_experiment", required_checks=["prediction_first"])
    assert call(block, "save_draft", dict(EXPERIMENT, prediction=""))[0] == 200
    assert block.data_on and not block.prediction_on
    block.data_on = "2020-01-01T00:00:00+00:00"  # the results were recorded long ago
    status, reply = call(block, "submit_step", EXPERIMENT)
    assert status == 400 and "written after your first results" in reply["error"]
    unrequired = make_block("lamap_experiment")
    call(unrequired, "save_draft", dict(EXPERIMENT, prediction=""))
    unrequired.data_on = "2020-01-01T00:00:00+00:00"
    status, reply = call(unrequired, "submit_step", EXPERIMENT)
    assert status == 200
    checks = {check["id"]: check for check in reply["state"]["feedback"]["checks"]}
    assert checks["prediction_first"]["passed"] is False and not checks["prediction_first"]["required"]
    assert "Is your test fair?" in reply["feedback_html"]


def test_trials_are_counted_per_condition():
    rows = [{"t": 20}, {"t": 40}, {"t": 20}, {"t": " 20 "}, {"t": None}]
    columns = [{"key": "n", "name": "N", "unit": "", "type": "number"}, {"key": "t", "name": "T", "role": "changed"}]
    assert trial_numbers(rows, columns) == [1, 1, 2, 3, 1]


SEEDS = [
    {"key": "condition", "name": "Condition", "unit": "", "type": "text", "role": "changed"},
    {"key": "day", "name": "Day", "unit": "", "type": "number", "role": "time"},
    {"key": "germinated", "name": "Germinated seeds", "unit": "of 20", "type": "number", "role": "measured"},
]
SEED_ROWS = [
    {"condition": "damp, dark", "day": 0, "germinated": 0},
    {"condition": "damp, dark", "day": 1, "germinated": 3},
    {"condition": "damp, dark", "day": 2, "germinated": 11},
    {"condition": "dry", "day": 0, "germinated": 0},
    {"condition": "dry", "day": 1, "germinated": 0},
    {"condition": "Damp, dark", "day": 2, "germinated": 12},  # a second dish read on day 2: a repeat
]


def test_a_time_series_reads_its_rows_as_days_not_trials(make_block):
    from lamap_xblocks import dashboard, evidence  # noqa: PLC0415
    from lamap_xblocks.experiment import results_table, trial_counts  # noqa: PLC0415

    assert trial_numbers(SEED_ROWS, SEEDS) == [1, 1, 1, 1, 1, 2]
    assert trial_counts(SEED_ROWS, SEEDS) == {"damp, dark": 2, "dry": 1}
    table = results_table(SEEDS, SEED_ROWS, lambda text: text)
    assert table["head"] == ["Condition", "Day", "Germinated seeds (of 20)"], "no Trial column: the day says it"
    assert table["rows"][1] == ["damp, dark", "1", "3"]
    offers = {offer["source"]: offer for offer in evidence.citations({"columns": SEEDS, "rows": SEED_ROWS}, str)}
    assert offers["row-2"]["text"] == "damp, dark, day 2: germinated seeds 11 of 20"
    assert offers["row-5"]["label"] == "Damp, dark, day 2, trial 2"
    counts, _kept, _labels = dashboard.features(
        "experiment", {"columns": SEEDS, "rows": SEED_ROWS, "changed_values": []}, "2026-01-01T00:00:00+00:00"
    )
    assert counts["experiment.trials_x10"] == 15, "two dishes of one condition, one of the other: 1.5 trials each"
    block = make_block("lamap_experiment", columns=SEEDS, chart_kind="line", chart_x="day", chart_y="germinated")
    assert call(block, "save_draft", dict(EXPERIMENT, rows=SEED_ROWS))[0] == 200
    content = block.render("student_view", {}).content
    assert "Row 6" in content and "Trial" not in content.split('data-list="rows"')[1].split("</table>")[0]
    labels = [title for title in content.split("<title>")[1:] if "damp, dark" in title.lower()]
    assert any(title.startswith("damp, dark: day 1, germinated seeds 3 of 20") for title in labels), labels[:3]


def test_studio_refuses_two_time_columns(make_block):
    block = make_block("lamap_experiment")
    columns = [*SEEDS, {"key": "hour", "name": "Hour", "unit": "", "type": "number", "role": "time"}]
    problems = block.validate_values({"columns": columns})
    assert any("Only one column can say when a row is measured." in message.text for message in problems.messages)


def test_experiment_view_shows_trials_and_chart_container(make_block):
    block = make_block("lamap_experiment")
    call(
        block,
        "save_draft",
        dict(EXPERIMENT, rows=[{"condition": "cold", "result": 1}, {"condition": "cold", "result": 2}]),
    )
    content = block.render("student_view", {}).content
    assert content.count("Trial 2") == 1
    assert "data-chart" in content
    block.show_chart = False
    assert "data-chart" not in block.render("student_view", {}).content


def test_experiment_results_are_required(make_block):
    block = make_block("lamap_experiment")
    status, reply = call(block, "submit_step", dict(EXPERIMENT, rows=[{"condition": "cold", "result": None}]))
    assert status == 400 and "Record at least one result" in reply["error"]


# ----- argumentation ----------------------------------------------------------------------

ARGUMENT = VALID_WORK["lamap_argumentation"]


def test_criteria_ticks_are_checked_against_the_criteria(make_block):
    block = make_block("lamap_argumentation", criteria=["Answers the question", "Cites data"])
    status, reply = call(block, "save_draft", dict(ARGUMENT, criteria_checked=[2]))
    assert status == 400 and "among the criteria shown" in reply["error"]
    status, reply = call(block, "submit_step", dict(ARGUMENT, criteria_checked=[1]))
    assert status == 200
    assert reply["state"]["feedback"] == {"unchecked_criteria": ["Answers the question"]}
    assert "You did not tick these criteria" in reply["feedback_html"]


def test_argument_limitations_can_be_required(make_block):
    block = make_block("lamap_argumentation", require_limitations=True, min_evidence=3)
    status, reply = call(block, "submit_step", dict(ARGUMENT, limitations=""))
    assert status == 400
    assert "Give at least 3 pieces of evidence." in reply["error"]
    assert "Say what limits your conclusion" in reply["error"]


def test_lowering_the_maximum_never_locks_a_learner_out(make_block):
    block = make_block("lamap_hypothesis")
    two = [HYPOTHESIS, dict(HYPOTHESIS, id="h2", idea="Another idea.")]
    assert call(block, "submit_step", {"hypotheses": two})[0] == 200
    block.max_hypotheses = 1
    assert call(block, "save_draft", {"hypotheses": two})[0] == 200
    status, reply = call(block, "save_draft", {"hypotheses": [*two, dict(HYPOTHESIS, id="h3")]})
    assert status == 400 and "Too many items in Your hypotheses: 3, the limit is 2." in reply["error"]


def test_undoing_a_change_is_not_a_new_submission(make_block, runtime):
    block = make_block("lamap_question")
    call(block, "submit_step", VALID_WORK["lamap_question"])
    changed = dict(VALID_WORK["lamap_question"], testable_reason="changed")
    assert call(block, "save_draft", changed)[1]["state"]["unsubmitted_changes"] is True
    status, reply = call(block, "save_draft", VALID_WORK["lamap_question"])
    assert reply["state"]["unsubmitted_changes"] is False
    runtime.events.clear()
    assert call(block, "submit_step", VALID_WORK["lamap_question"])[1]["state"]["submission_count"] == 1
    assert runtime.events == []


# ----- the experiment's chart: settings, live data, mobile data -----------------------------------

FLOATING_COLUMNS = [
    {"key": "object", "name": "Object", "unit": "", "type": "text", "role": "changed"},
    {"key": "mass", "name": "Mass", "unit": "g", "type": "number", "role": "measured"},
    {"key": "observed", "name": "Observed", "unit": "", "type": "text", "role": "measured"},
]


@pytest.mark.parametrize(
    "values,named",
    [
        ({"chart_kind": "scatter", "chart_x": "volume"}, "Chart: horizontal axis (column name): There is no column"),
        ({"chart_kind": "line", "chart_x": "object"}, "Chart: horizontal axis (column name): “Object” is a text"),
        ({"chart_y": "observed"}, "Chart: vertical axis (column name): “Observed” is a text column"),
    ],
)
def test_studio_refuses_a_chart_that_cannot_be_drawn_naming_the_setting(make_block, users, values, named):
    users.staff.add("student-1")  # the course team edits
    block = make_block("lamap_experiment", columns=FLOATING_COLUMNS)
    status, reply = call(block, "submit_studio_edits", {"values": values})
    assert status == 400 and named in reply["error"]
    assert block.chart_kind == "" and block.chart_x == "", "nothing saved"


def test_olx_refuses_a_chart_that_cannot_be_drawn_naming_block_and_setting():
    runtime = TestRuntime(services={"field-data": DictFieldData({})})
    xml = (
        '<lamap_experiment url_name="e1" chart_kind="scatter" chart_x="volume"><columns>'
        '<column key="object" name="Object" unit="" type="text"/>'
        '<column key="mass" name="Mass" unit="g" type="number"/></columns></lamap_experiment>'
    )
    with pytest.raises(OlxError) as raised:
        runtime.parse_xml_string(xml.encode("utf-8"))
    assert str(raised.value).startswith("lamap_experiment 'e1': Chart: horizontal axis (column name): There is no")


def test_chart_data_draws_the_table_as_typed_and_refuses_what_is_not_a_table(make_block):
    block = make_block("lamap_experiment", columns=FLOATING_COLUMNS, chart_kind="summary", chart_y="mass")
    rows = [{"object": "key", "mass": "12,5", "observed": "sinks"}, {"object": "log", "mass": "abc", "observed": ""}]
    status, reply = call(block, "chart_data", {"rows": rows})
    assert status == 200 and reply["chart"]["count"] == 1, "a cell that is not a number yet is left out"
    assert reply["chart"]["kind"] == "summary" and reply["chart"]["elements"]
    for bad in ({}, {"rows": "x"}, {"rows": [{"nope": 1}]}, {"rows": [], "extra": 1}, {"rows": [["a"]]}):
        status, reply = call(block, "chart_data", bad)
        assert status == 400 and reply["error"]
    assert block.rows == [], "drawing never saves"


def test_mobile_data_names_the_chart_and_the_column_roles(make_block):
    block = make_block("lamap_experiment", columns=FLOATING_COLUMNS, chart_y="mass")
    data = block.student_view_data()
    assert data["chart"] == {
        "kind": "summary",
        "x": "object",
        "y": "mass",
        "group": None,
        "statistic": "median",
        "summary_mark": "tick",
        "scale": {"x": "linear", "y": "linear"},
    }
    assert [column["role"] for column in data["columns"]] == ["changed", "measured", "measured"]
    state = call(block, "student_view_user_state", method="GET")[1]
    assert state["changed_values"] == [] and state["measured_variables"] == []


def test_a_filled_plan_folds_to_recaps_and_a_new_one_is_open(make_block):
    from lxml import html  # noqa: PLC0415

    block = make_block("lamap_experiment")
    sections = html.fromstring(block.render("student_view", {}).content).cssselect("details.lamap-section")
    assert len(sections) == 3 and all(section.get("open") is not None for section in sections)
    call(block, "save_draft", dict(EXPERIMENT, materials=["3 glasses"], protocol=["Heat", "Drop"]))
    sections = html.fromstring(block.render("student_view", {}).content).cssselect("details.lamap-section")
    assert [section.get("open") is None for section in sections] == [True, True, True]
    recaps = [" ".join(section.cssselect(".lamap-section-recap")[0].text_content().split()) for section in sections]
    assert recaps == [
        "the water temperature (cold, hot)",
        "the time for the sugar to dissolve; the amount of water; the size of the sugar cube",
        "1 material, 2 steps",
    ]
