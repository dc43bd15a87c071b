"""
OLX reading and writing for our blocks: pure functions over lxml elements.

A block's authored fields are described by the same specs that validate Studio edits
(``validation.py``), so OLX import applies exactly the author's rules. Layout:

* short values are attributes: ``<lamap_question display_name="..." weight="1.0">``;
* long text is a child element with the field's name: ``<prompt>Markdown...</prompt>``;
* lists are a wrapper element holding one element per item:
  ``<reference_questions><question>...</question></reference_questions>``;
  items that are records keep their fields as attributes:
  ``<columns><column key="t" name="Temperature" unit="°C" type="number"/></columns>``.

Attributes that belong to no spec (fields added by platform mixins, such as
``visible_to_staff_only``) go through the XBlock field's own string conversion.
"""

import json
import textwrap

from lxml import etree

from .validation import Boolean, Choice, InputError, Integer, ListOf, Real, Record

# Attributes the import machinery reads itself, never fields.
IGNORED_ATTRIBUTES = {"url_name", "xblock-family", "filename"}


class OlxError(ValueError):
    """A bad value in a block's OLX: the message names the block and the field."""


def _to_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _from_text(spec, text):
    """An attribute string to the Python type ``spec`` expects (``spec.clean`` checks the rest)."""
    if isinstance(spec, Boolean):
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise InputError("{field} must be true or false.", spec.label)
        return lowered == "true"
    if isinstance(spec, Integer):
        if text.strip() == "" and spec.allow_none:
            return None
        try:
            return int(text.strip())
        except ValueError:
            return text  # let spec.clean report it in its own words
    if isinstance(spec, Real):
        try:
            return float(text.strip())
        except ValueError:
            return text
    return text


def _json_list(spec, text):
    try:
        value = json.loads(text)
    except ValueError:
        raise InputError("{field} must be a list.", spec.label) from None
    return value


def _element_text(element):
    """Text of a child element: indentation from pretty-printed OLX is removed."""
    return textwrap.dedent(element.text or "").strip()


def _read_item(spec, element):
    if isinstance(spec, Record):
        return {name: _from_text(sub, element.get(name, "")) for name, sub in spec.fields.items()}
    return _from_text(spec, _element_text(element))


def read_fields(node, specs, element_fields, block_label):
    """
    The authored values in ``node``: returns ``(values, others)`` where ``values`` are
    cleaned by their specs and ``others`` holds attributes no spec describes.
    Raises OlxError naming ``block_label`` and the field on the first bad value.
    """
    values, others = {}, {}
    for name, text in node.attrib.items():
        if name in IGNORED_ATTRIBUTES:
            continue
        spec = specs.get(name)
        if spec is None:
            others[name] = text
        elif isinstance(spec, ListOf):
            # XBlock's default export writes lists as JSON attributes: that form is checked too.
            values[name] = _clean(spec, lambda spec=spec, text=text: _json_list(spec, text), block_label, name)
        else:
            values[name] = _clean(spec, lambda spec=spec, text=text: _from_text(spec, text), block_label, name)
    for child in node:
        if not isinstance(child.tag, str):  # comments and processing instructions
            continue
        name = etree.QName(child).localname
        spec = specs.get(name)
        if spec is None:
            raise OlxError(f"{block_label}: unknown element <{name}>.")
        if isinstance(spec, ListOf):
            items = [
                item for item in child if isinstance(item.tag, str) and etree.QName(item).localname == spec.item_name
            ]
            values[name] = _clean(
                spec, lambda spec=spec, items=items: [_read_item(spec.item, item) for item in items], block_label, name
            )
        else:
            values[name] = _clean(spec, lambda child=child: _element_text(child), block_label, name)
    return values, others


def _clean(spec, read, block_label, name):
    """Read the raw value and check it; any problem becomes an OlxError naming block and field."""
    try:
        return spec.clean(read())
    except InputError as err:
        raise OlxError(f"{block_label}: field '{name}': {err}") from None


def write_fields(node, values, specs, element_fields):
    """Set ``values`` (field name -> value) on ``node`` in the layout described above."""
    for name, value in values.items():
        spec = specs[name]
        if isinstance(spec, ListOf):
            wrapper = etree.SubElement(node, name)
            for item in value:
                element = etree.SubElement(wrapper, spec.item_name)
                if isinstance(spec.item, Record):
                    for key, sub in spec.item.fields.items():
                        if item.get(key) in ("", None) and isinstance(sub, Choice) and sub.allow_blank:
                            continue  # an optional choice left blank (a column's role) is not written
                        element.set(key, _to_text(item.get(key)))
                else:
                    element.text = _to_text(item)
        elif name in element_fields:
            # Written even when empty, so an emptied default survives the round trip.
            etree.SubElement(node, name).text = _to_text(value)
        else:
            node.set(name, _to_text(value))


def describe(block_type, node):
    """How errors name a block: its type and url_name when it has one."""
    url_name = node.get("url_name")
    return f"{block_type} '{url_name}'" if url_name else block_type
