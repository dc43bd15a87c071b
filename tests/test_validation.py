"""The spec classes that check every handler's input, directly."""

import pytest

from lamap_xblocks import validation as spec


def message(error):
    return error.value.render(lambda text: text)


def test_text_limits_and_types():
    text = spec.Text("Claim", 5)
    assert text.clean(" abc ") == "abc"
    with pytest.raises(spec.InputError) as error:
        text.clean("abcdef")
    assert message(error) == "Claim is too long: 6 characters, the limit is 5."
    for bad in (None, 3, [], {}):
        with pytest.raises(spec.InputError):
            text.clean(bad)


def test_integers_refuse_booleans_and_floats():
    number = spec.Integer("Index", 0, 3, allow_none=True)
    assert number.clean(None) is None and number.clean(3) == 3
    for bad in (True, 1.0, "1", 4, -1):
        with pytest.raises(spec.InputError):
            number.clean(bad)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("12.5", 12.5),
        ("12,5", 12.5),
        (" 1 000 ", 1000),
        ("-3", -3),
        ("2e3", 2000),
        (4, 4),
        ("", None),
        (None, None),
    ],
)
def test_numbers_as_people_type_them(raw, expected):
    assert spec.Number("Time").clean(raw) == expected


@pytest.mark.parametrize("raw", ["fast", "1.2.3", "NaN", "inf", float("nan"), True, [1], "1e400"])
def test_numbers_refused(raw):
    with pytest.raises(spec.InputError):
        spec.Number("Time").clean(raw)


def test_list_positions_in_messages():
    rows = spec.ListOf("Results table", spec.Record("Row", {"t": spec.Number("Temperature")}), 3)
    with pytest.raises(spec.InputError) as error:
        rows.clean([{"t": 1}, {"t": "hot"}])
    assert message(error) == "Results table, item 2: Temperature must be a number, for example 12.5."
    lines = spec.ListOf("Materials", spec.Text(None, 3), 5)
    with pytest.raises(spec.InputError) as error:
        lines.clean(["ok", "too long"])
    assert message(error) == "Materials, item 2 is too long: 8 characters, the limit is 3."


def test_records_are_exact():
    record = spec.Record("Row", {"a": spec.Text("A", 5)})
    with pytest.raises(spec.InputError, match="Missing fields in Row: a"):
        record.clean({})
    with pytest.raises(spec.InputError, match="Unexpected fields in Row: b"):
        record.clean({"a": "", "b": 1})


def test_request_level_errors():
    fields = {"a": spec.Text("A", 5)}
    assert spec.clean_request(fields, {"a": "x"}) == {"a": "x"}
    for body, text in [
        ([], "must be a JSON object"),
        ({}, "missing these fields: a"),
        ({"a": "", "z": 1}, "unexpected"),
    ]:
        with pytest.raises(spec.InputError, match=text):
            spec.clean_request(fields, body)


def test_translation_applies_to_message_and_label():
    french = {"{field} must be text.": "{field} doit être du texte.", "Claim": "Affirmation"}
    with pytest.raises(spec.InputError) as error:
        spec.Text("Claim", 5).clean(1)
    assert error.value.render(lambda text: french.get(text, text)) == "Affirmation doit être du texte."
