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
