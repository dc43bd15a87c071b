"""The Studio editor: every authored field editable, validated, and saved only when valid."""

import pytest
from lxml import html

from .conftest import BLOCKS, call

ALL = sorted(BLOCKS)


@pytest.fixture(autouse=True)
def course_team(users):
    """The editor is the course team's: the blocks' user is staff here (learners: see the last tests)."""
    users.staff.add("student-1")


class StudioPermissions:
    """Studio's permissions service: who may write in which course."""

    def __init__(self, writers):
        self.writers = writers

    def can_write(self, course_key):
        return course_key in self.writers


def editor(block):
    return html.fromstring(f"<div>{block.render('studio_view', {}).content}</div>")


@pytest.mark.parametrize("block_type", ALL)
def test_editor_has_a_labelled_control_for_every_editable_field(make_block, block_type):
    block = make_block(block_type)
    document = editor(block)
    for name in block.editable_fields:
        container = document.xpath(f"//*[@data-editor-field='{name}']")
        assert container, name
        field = container[0]
        assert field.xpath(".//label | .//legend"), name
        assert field.xpath(".//input | .//textarea | .//select | .//template"), name
    assert document.xpath("//button[@data-editor-action='save']")
    assert document.xpath("//button[@data-editor-action='cancel']")
    assert document.xpath("//div[contains(@class, 'xblock-actions')]")


@pytest.mark.parametrize("block_type", ALL)
def test_editor_saves_valid_values(make_block, block_type):
    block = make_block(block_type)
    status, reply = call(
        block,
        "submit_studio_edits",
        {
            "values": {
                "display_name": "  A new   title ",
                "prompt": "Look **closely**.",
                "weight": 2.5,
                "scored": False,
            }
        },
    )
    assert status == 200, reply
    assert reply == {"result": "success"}
    assert block.display_name == "A new title"
    assert block.prompt == "Look **closely**."
    assert block.weight == 2.5 and block.scored is False


@pytest.mark.parametrize("block_type", ALL)
@pytest.mark.parametrize(
    "body,expected",
    [
        ({"values": {"nonexistent": 1}}, "cannot be edited: nonexistent"),
        ({"values": {"weight": "heavy"}}, "Problem weight must be a number"),
        ({"values": {"weight": -1}}, "Problem weight must be a number from 0 to 100"),
        ({"values": {"scored": "yes"}}, "Scored must be true or false"),
        ({"values": {"display_name": "x" * 201}}, "Display name is too long"),
        ({"values": {"prompt": ["a list"]}}, "Instructions must be text"),
        ({"values": {}, "extra": True}, "unexpected fields: extra"),
        ({"nothing": True}, 'JSON object with "values"'),
        ([1, 2], 'JSON object with "values"'),
    ],
)
def test_editor_refuses_bad_values_and_saves_nothing(make_block, block_type, body, expected):
    block = make_block(block_type, display_name="Kept")
    status, reply = call(block, "submit_studio_edits", body)
    assert status == 400
    assert expected in reply["error"], reply
    assert block.display_name == "Kept"
    assert not block.fields["weight"].is_set_on(block)


def test_question_image_needs_alt_text_and_safe_urls(make_block):
    block = make_block("lamap_question")
    status, reply = call(block, "submit_studio_edits", {"values": {"image_url": "/static/boat.svg"}})
    assert status == 400 and "alt text" in reply["error"]
    status, reply = call(block, "submit_studio_edits", {"values": {"video_url": "javascript:alert(1)"}})
    assert status == 400 and "Video must be a web address" in reply["error"]
    status, reply = call(
        block,
        "submit_studio_edits",
        {
            "values": {
                "image_url": "/static/boat.svg",
                "image_alt": "A toy boat",
                "reference_questions": ["Why?", "How?"],
                "min_questions": 2,
            }
        },
    )
    assert status == 200, reply
    assert block.image_alt == "A toy boat" and block.reference_questions == ["Why?", "How?"]
    assert block.min_questions == 2


def test_hypothesis_minimum_cannot_exceed_maximum(make_block):
    block = make_block("lamap_hypothesis")
    status, reply = call(block, "submit_studio_edits", {"values": {"min_hypotheses": 5, "max_hypotheses": 2}})
    assert status == 400 and "cannot be more than the maximum" in reply["error"]
    assert block.min_hypotheses == 1


def test_experiment_table_needs_a_column_and_keys_follow_columns(make_block):
    block = make_block("lamap_experiment")
    status, reply = call(block, "submit_studio_edits", {"values": {"columns": []}})
    assert status == 400 and "needs at least one column" in reply["error"]
    columns = [
        {"key": "", "name": "Température de l'eau", "unit": "°C", "type": "number"},
        {"key": "", "name": "Time", "unit": "s", "type": "number"},
        {"key": "", "name": "Time!", "unit": "", "type": "text"},
    ]
    status, reply = call(block, "submit_studio_edits", {"values": {"columns": columns}})
    assert status == 200, reply
    assert [column["key"] for column in block.columns] == ["temperature_de_l_eau", "time", "time_2"]
    renamed = [dict(block.columns[0], name="Water temperature")] + block.columns[1:]
    assert call(block, "submit_studio_edits", {"values": {"columns": renamed}})[0] == 200
    assert block.columns[0]["key"] == "temperature_de_l_eau", "renaming a column keeps its data"
    bad_type = [dict(columns[0], type="colour")]
    status, reply = call(block, "submit_studio_edits", {"values": {"columns": bad_type}})
    assert status == 400 and "Type must be one of: number, text" in reply["error"]


def test_experiment_required_checks_are_known_and_unique(make_block):
    block = make_block("lamap_experiment")
    status, reply = call(block, "submit_studio_edits", {"values": {"required_checks": ["telepathy"]}})
    assert status == 400
    status, reply = call(block, "submit_studio_edits", {"values": {"required_checks": ["controlled", "controlled"]}})
    assert status == 400 and "appears twice in Required fair-test checks" in reply["error"]
    status, _ = call(block, "submit_studio_edits", {"values": {"required_checks": ["controlled", "prediction_first"]}})
    assert status == 200 and block.required_checks == ["controlled", "prediction_first"]


def test_validate_reports_problems_to_studio(make_block):
    block = make_block("lamap_experiment", columns=[])
    messages = [message.text for message in block.validate().messages]
    assert "The results table needs at least one column." in messages
    question = make_block("lamap_question")
    assert any("no starting situation" in message.text for message in question.validate().messages)


def test_argumentation_criteria_edit(make_block):
    block = make_block("lamap_argumentation")
    status, reply = call(block, "submit_studio_edits", {"values": {"criteria": ["Cites data", ""]}})
    assert status == 400 and "empty criteria" in reply["error"]
    status, _ = call(block, "submit_studio_edits", {"values": {"criteria": ["Cites data"], "min_evidence": 2}})
    assert status == 200 and block.criteria == ["Cites data"] and block.min_evidence == 2


def test_saving_the_default_title_keeps_it_translatable(make_block):
    block = make_block("lamap_question")
    editor_values = {"display_name": block.display_name, "prompt": "Look.", "weight": 1.0}
    assert call(block, "submit_studio_edits", {"values": editor_values})[0] == 200
    assert not block.fields["display_name"].is_set_on(block), "the default is not stored as a title"
    assert block.prompt == "Look."
    from django.utils import translation

    with translation.override("fr"):
        assert block.title() == "Se poser des questions"


def test_every_invalid_field_is_reported_at_once_naming_its_field(make_block):
    block = make_block("lamap_experiment")
    status, reply = call(block, "submit_studio_edits", {"values": {"max_rows": 0, "weight": 500, "display_name": "x"}})
    assert status == 400
    assert [problem["field"] for problem in reply["problems"]] == ["max_rows", "weight"]
    assert all(problem["message"] in reply["error"] for problem in reply["problems"])
    assert block.display_name != "x", "nothing saved"
    columns = [
        {"key": "a", "name": "A", "unit": "", "type": "text", "role": "changed"},
        {"key": "b", "name": "B", "unit": "", "type": "number", "role": "changed"},
        {"key": "c", "name": "C", "unit": "", "type": "colour", "role": ""},
    ]
    status, reply = call(block, "submit_studio_edits", {"values": {"columns": columns}})
    assert status == 400 and reply["problems"][0]["field"] == "columns.2.type", "the cell itself"
    columns[2]["type"] = "number"
    status, reply = call(block, "submit_studio_edits", {"values": {"columns": columns, "chart_x": "nope"}})
    assert status == 400
    assert [problem["field"] for problem in reply["problems"]] == ["columns", "chart_x"]


def test_list_controls_read_naturally_and_describe_existing_ids(make_block):
    block = make_block("lamap_experiment", variable_choices=["the object"])
    document = editor(block)
    adds = [button.text_content().strip() for button in document.xpath("//button[@data-list-action='add']")]
    assert "Add a column" in adds and "Add a variable" in adds
    ids = set(document.xpath("//@id"))
    for node in document.xpath("//*[@aria-describedby]"):
        for target in node.get("aria-describedby").split():
            if "__INDEX__" not in target:
                assert target in ids, target


def test_the_investigation_is_chosen_from_the_course_keys_or_started_anew(make_block):
    make_block("lamap_question", investigation="floating")
    block = make_block("lamap_hypothesis", investigation="dissolving")
    select = editor(block).xpath("//*[@data-editor-field='investigation']//select")[0]
    options = [option.get("value") for option in select.xpath("option")]
    assert options[0] == "" and options[-1] == "__new__"
    assert "dissolving" in options
    assert select.xpath("option[@selected]")[0].get("value") == "dissolving"


def test_the_chart_preview_draws_the_unsaved_settings_on_made_up_results(make_block):
    block = make_block("lamap_experiment")
    columns = [
        {"key": "object", "name": "Object", "unit": "", "type": "text", "role": "changed"},
        {"key": "mass", "name": "Mass", "unit": "g", "type": "number", "role": "measured"},
        {"key": "volume", "name": "Volume", "unit": "cm³", "type": "number", "role": "measured"},
        {"key": "observed", "name": "Observed", "unit": "", "type": "text", "role": "measured"},
    ]
    settings = {
        "chart_kind": "scatter",
        "chart_x": "volume",
        "chart_y": "mass",
        "chart_group": "observed",
        "chart_statistic": "median",
        "chart_summary_mark": "tick",
        "chart_log_x": False,
        "chart_log_y": False,
        "show_chart": True,
    }
    status, reply = call(block, "chart_preview", {"columns": columns, "settings": settings})
    assert status == 200 and reply["chart"]["kind"] == "scatter" and reply["chart"]["count"] == 9
    assert reply["chart"]["title"] == "Mass (g) against volume (cm³)"
    status, reply = call(block, "chart_preview", {"columns": columns, "settings": dict(settings, chart_x="nope")})
    assert status == 200 and reply["chart"]["empty"].startswith("Chart: horizontal axis (column name): There is no")
    status, reply = call(block, "chart_preview", {"columns": "x", "settings": settings})
    assert status == 400
    assert block.columns != columns, "a preview saves nothing"
    assert editor(block).xpath("//*[@data-chart-preview]"), "the preview sits under the chart settings"


@pytest.mark.parametrize("handler", ["submit_studio_edits", "chart_preview"])
def test_learners_cannot_change_a_block_for_everyone(make_block, users, handler):
    from .conftest import as_user  # noqa: PLC0415

    block = make_block("lamap_experiment", display_name="Floating")
    learner = as_user(block, "learner-1")
    body = {"values": {"display_name": "Hacked"}} if handler == "submit_studio_edits" else {}
    status, reply = call(learner, handler, body)
    assert status == 403 and reply["error"] == "Only the course team can change this block."
    assert as_user(block, "learner-2").display_name == "Floating", "nothing changed for anyone"


def test_in_studio_its_permissions_service_decides(make_block, runtime):
    """Studio's user service knows no course role: its permissions service says who may write."""
    block = make_block("lamap_question", display_name="Ours")
    course = "course-v1:lamap+test+2026"
    block.scope_ids = block.scope_ids._replace(usage_id=UsageInCourse(course))
    services = runtime._services  # pylint: disable=protected-access
    services["studio_user_permissions"] = StudioPermissions(writers=set())
    assert call(block, "submit_studio_edits", {"values": {"display_name": "Theirs"}})[0] == 403
    services["studio_user_permissions"] = StudioPermissions(writers={course})
    assert call(block, "submit_studio_edits", {"values": {"display_name": "Theirs"}})[0] == 200
    assert block.display_name == "Theirs"


class UsageInCourse(str):
    """A usage key with its course, as opaque-keys gives (only what compat reads)."""

    def __new__(cls, course):
        key = super().__new__(cls, f"block-v1:{course[len('course-v1:') :]}+type@lamap_question+block@q")
        key.context_key = course
        return key
