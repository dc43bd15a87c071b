"""OLX: every block round-trips losslessly; bad values fail with the block and field named."""

import io
from pathlib import Path

import pytest
from lxml import etree
from xblock.field_data import DictFieldData
from xblock.fields import Boolean, Scope
from xblock.test.tools import TestRuntime

from lamap_xblocks.olx import OlxError

FIXTURES = Path(__file__).parent / "fixtures" / "olx"
GOOD = sorted((FIXTURES / "good").glob("*.xml"))
BAD = sorted((FIXTURES / "bad").glob("*.xml"))


class PlatformMixin:
    """Stands in for the fields Open edX mixes into every block."""

    visible_to_staff_only = Boolean(scope=Scope.settings, default=False)


def new_runtime():
    return TestRuntime(services={"field-data": DictFieldData({})}, mixins=(PlatformMixin,))


def parse(runtime, xml):
    return runtime.get_block(runtime.parse_xml_string(xml.encode("utf-8") if isinstance(xml, str) else xml))


def authored(block):
    return {
        name: field.read_from(block)
        for name, field in block.fields.items()
        if field.scope in (Scope.content, Scope.settings) and field.is_set_on(block)
    }


def export(block):
    buffer = io.BytesIO()
    block.runtime.export_to_xml(block, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("path", GOOD, ids=[path.stem for path in GOOD])
def test_round_trip_is_lossless(path):
    original = parse(new_runtime(), path.read_text(encoding="utf-8"))
    values = authored(original)
    assert len(values) >= 4, "the fixture sets several fields"
    exported = export(original)
    again = parse(new_runtime(), exported)
    assert authored(again) == values
    assert export(again) == exported, "export is stable"


def test_long_text_is_a_readable_child_element():
    block = parse(new_runtime(), (FIXTURES / "good" / "question.xml").read_text(encoding="utf-8"))
    assert block.prompt.startswith("Read the situation"), "indentation from pretty-printed OLX is removed"
    assert "\n- the apple floats" in block.situation, "Markdown line structure is kept"
    assert "says Tom & his friends" in block.situation
    node = etree.fromstring(export(block))
    assert node.find("situation").text == block.situation
    assert [q.text for q in node.find("reference_questions")] == block.reference_questions
    assert node.get("visible_to_staff_only") == "true", "platform fields survive"
    assert node.find("questions") is None and node.get("submitted_on") is None, "no learner state in OLX"


def test_experiment_columns_are_elements_with_attributes():
    block = parse(new_runtime(), (FIXTURES / "good" / "experiment.xml").read_text(encoding="utf-8"))
    assert block.columns[0] == {
        "key": "temperature",
        "name": "Water temperature",
        "unit": "°C",
        "type": "number",
        "role": "",
    }
    node = etree.fromstring(export(block))
    column = node.find("columns/column")
    assert dict(column.attrib) == {"key": "temperature", "name": "Water temperature", "unit": "°C", "type": "number"}
    assert [check.text for check in node.find("required_checks")] == ["one_variable", "prediction_first"]


def test_emptied_default_survives_round_trip():
    runtime = new_runtime()
    block = parse(runtime, "<lamap_experiment><columns/></lamap_experiment>")
    assert block.columns == []
    assert parse(new_runtime(), export(block)).columns == []


@pytest.mark.parametrize("path", BAD, ids=[path.stem for path in BAD])
def test_bad_olx_names_the_block_and_the_field(path):
    text = path.read_text(encoding="utf-8")
    expected = text.split("expect:", 1)[1].split("-->", 1)[0].strip()
    xml = text.split("-->", 1)[1].strip()
    with pytest.raises(OlxError) as error:
        parse(new_runtime(), xml)
    assert str(error.value).startswith(expected), str(error.value)


def test_lists_in_json_attributes_are_checked_too():
    """XBlock's default export writes lists as JSON attributes; that form gets the same rules."""
    block = parse(
        new_runtime(), """<lamap_experiment columns='[{"key": "", "name": "Time", "unit": "s", "type": "number"}]'/>"""
    )
    assert block.columns == [{"key": "time", "name": "Time", "unit": "s", "type": "number", "role": ""}]
    with pytest.raises(OlxError, match="field 'columns': Results table columns, item 1: Type must be one of"):
        parse(
            new_runtime(), """<lamap_experiment columns='[{"key": "t", "name": "T", "unit": "", "type": "colour"}]'/>"""
        )
    with pytest.raises(OlxError, match="field 'reference_questions': Reference questions must be a list"):
        parse(new_runtime(), """<lamap_question reference_questions="[not json"/>""")
    long_prompt = parse(new_runtime(), '<lamap_question prompt="As an attribute"/>')
    assert long_prompt.prompt == "As an attribute"


# ----- every form the platform writes and reads ---------------------------------------------


class CourseFiles:
    """A runtime's ``resources_fs``: the course's files, opened by path as pyfilesystem does."""

    def __init__(self, files):
        self.files = files

    def open(self, path, mode="r"):
        if path not in self.files:
            raise FileNotFoundError(f"no such file: {path}")
        data = self.files[path]
        return io.BytesIO(data) if "b" in mode else io.StringIO(data.decode("utf-8"))


def runtime_with_files(files):
    runtime = new_runtime()
    runtime.resources_fs = CourseFiles(files)
    return runtime


QUESTION = (FIXTURES / "good" / "question.xml").read_bytes()


@pytest.mark.parametrize("url_name,path", [("q1", "lamap_question/q1.xml"), ("unit:q1", "lamap_question/unit/q1.xml")])
def test_the_pointer_form_reads_its_definition_file(url_name, path):
    runtime = runtime_with_files({path: QUESTION})
    block = parse(runtime, f'<lamap_question url_name="{url_name}"/>')
    inline = parse(new_runtime(), QUESTION)
    assert authored(block) == authored(inline), "the author's content, not defaults"
    assert block.display_name == "What floats?" and block.min_questions == 2
    assert block.reference_questions == [
        "Does weight alone decide whether an object floats?",
        inline.reference_questions[1],
    ]


def test_a_pointer_to_a_missing_file_fails_loudly():
    with pytest.raises(
        OlxError, match=r"lamap_question 'q9': its definition file lamap_question/q9.xml cannot be read"
    ):
        parse(runtime_with_files({}), '<lamap_question url_name="q9"/>')
    with pytest.raises(OlxError, match="no course files"):
        parse(new_runtime(), '<lamap_question url_name="q9"/>')
    with pytest.raises(OlxError, match="defines <lamap_hypothesis>, not <lamap_question>"):
        parse(runtime_with_files({"lamap_question/q9.xml": b"<lamap_hypothesis/>"}), '<lamap_question url_name="q9"/>')


@pytest.mark.parametrize(
    "block_type", ["lamap_question", "lamap_hypothesis", "lamap_experiment", "lamap_argumentation"]
)
def test_a_block_at_its_defaults_never_exports_as_a_pointer(block_type):
    runtime = new_runtime()
    block = runtime.get_block(runtime.parse_xml_string(f"<{block_type}/>".encode()))
    node = etree.fromstring(export(block))
    assert set(node.attrib) - {"url_name", "xblock-family"}, "more than the two attributes of a pointer"
    node.attrib.pop("xblock-family")
    from lamap_xblocks import olx  # noqa: PLC0415

    assert not olx.is_pointer(node)
    again = parse(new_runtime(), export(block))
    assert authored(again) in ({}, {"investigation": ""}), "reads back at the defaults"


def test_elements_and_attributes_of_a_newer_version_are_left_out_with_a_warning(caplog):
    xml = """<lamap_question url_name="q4" display_name="Kept" colour_theme="sea">
      <prompt>Kept too.</prompt>
      <hints><hint>From a newer version</hint></hints>
    </lamap_question>"""
    with caplog.at_level("WARNING", logger="lamap_xblocks.olx"):
        block = parse(new_runtime(), xml)
    assert (block.display_name, block.prompt) == ("Kept", "Kept too.")
    warnings = [record.getMessage() for record in caplog.records]
    assert any("element <hints> is not known" in message and "'q4'" in message for message in warnings)
    assert any('attribute "colour_theme" is not known' in message for message in warnings)
    with pytest.raises(OlxError, match="lamap_question 'q4': field 'min_questions'"):
        parse(new_runtime(), '<lamap_question url_name="q4" min_questions="many"><hints/></lamap_question>')


class PlatformSchedule:
    """The platform's mixin fields that Studio sets on any block: a due date and group access."""

    from xblock.fields import Date, Dict

    due = Date(scope=Scope.settings)
    group_access = Dict(scope=Scope.settings)


def test_platform_fields_are_written_as_the_platform_writes_them():
    runtime = TestRuntime(services={"field-data": DictFieldData({})}, mixins=(PlatformMixin, PlatformSchedule))
    xml = """<lamap_question url_name="q5" due="2026-03-01T00:00:00Z" group_access='{"50": [1]}'
             visible_to_staff_only="true"/>"""
    block = runtime.get_block(runtime.parse_xml_string(xml.encode()))
    assert block.due.year == 2026 and block.group_access == {"50": [1]} and block.visible_to_staff_only is True
    node = etree.fromstring(export(block))
    assert node.get("due") == "2026-03-01T00:00:00Z", "a bare ISO date, not a JSON-quoted string"
    assert node.get("group_access") == '{"50": [1]}'
    assert node.get("visible_to_staff_only") == "true"
    capitalised = runtime.get_block(runtime.parse_xml_string(b'<lamap_question visible_to_staff_only="True"/>'))
    assert capitalised.visible_to_staff_only is True


@pytest.mark.parametrize("text,expected", [("true", True), ("false", False), ("FALSE", False), ("True", True)])
def test_each_field_type_reads_the_value_written(text, expected):
    """Expected values, not a round trip: a reader that ignored a value would pass a round trip."""
    xml = f"""<lamap_experiment scored="{text}" show_chart="{text}" weight="2.5" max_rows="7" chart_log_y="{text}"
        display_name="Fair test" investigation="dissolving">
      <prompt>Plan it.</prompt>
      <required_checks><check>controlled</check></required_checks>
      <columns><column key="t" name="Time" unit="s" type="number" role="measured"/></columns>
    </lamap_experiment>"""
    block = parse(new_runtime(), xml)
    assert (block.scored, block.show_chart, block.chart_log_y) == (expected, expected, expected)
    assert (block.weight, block.max_rows) == (2.5, 7)
    assert (block.display_name, block.prompt, block.investigation) == ("Fair test", "Plan it.", "dissolving")
    assert block.required_checks == ["controlled"]
    assert block.columns == [{"key": "t", "name": "Time", "unit": "s", "type": "number", "role": "measured"}]
    node = etree.fromstring(export(block))
    assert node.get("scored") == ("true" if expected else "false") and node.get("max_rows") == "7"
