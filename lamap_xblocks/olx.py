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
``visible_to_staff_only``, ``due``, ``group_access``) are written and read the way the
platform's XmlMixin does (a bare string or ISO date, JSON otherwise). Elements and
attributes this version does not know (a newer version wrote them) are left out with a
logged warning, as XBlock core does; values it cannot read still fail, naming the field.

The pointer form ``<lamap_question url_name="q1"/>`` (definition in
``lamap_question/q1.xml``) is read through the runtime's course files, as the platform's
XmlMixin reads it; the course toolchain's reader uses the same functions, so the two
readings of a course cannot disagree.
"""

import json
import logging
import textwrap

from lxml import etree
from xblock import fields as xblock_fields

from .validation import Boolean, Choice, InputError, Integer, ListOf, Real, Record

# Attributes the import machinery reads itself, never fields.
IGNORED_ATTRIBUTES = {"url_name", "xblock-family", "filename"}
PARSER = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True)
log = logging.getLogger(__name__)
# Platform fields whose OLX value is JSON: text that is not JSON is a bad value, never the default.
JSON_TYPED = (xblock_fields.Boolean, xblock_fields.Integer, xblock_fields.Float, xblock_fields.Dict, xblock_fields.List)


class OlxError(ValueError):
    """A bad value in a block's OLX: the message names the block and the field."""


# ----- the pointer form -------------------------------------------------------------------


def is_pointer(node):
    """``<tag url_name="..."/>`` and nothing else (XBlock core's and the platform's test)."""
    return len(node) == 0 and set(node.attrib) == {"url_name"} and not (node.text or "").strip()


def definition_path(tag, url_name):
    """Where a pointer's definition lives: ``tag/url_name.xml``, a ``:`` in the name being a folder."""
    return f"{tag}/{url_name.replace(':', '/')}.xml"


def read_definition(node, resources_fs, label):
    """
    The element defining ``node``: itself, or for a pointer the root of its definition file
    read from ``resources_fs`` (the runtime's course files), with the pointer's url_name.
    A missing or unreadable file fails loudly: never a block with default values.
    """
    if not is_pointer(node):
        return node
    path = definition_path(node.tag, node.get("url_name"))
    if resources_fs is None:
        raise OlxError(f"{label}: its definition is in {path}, and this runtime has no course files to read it from.")
    try:
        with resources_fs.open(path, "rb") as handle:
            definition = etree.parse(handle, PARSER).getroot()
    except Exception as err:  # noqa: BLE001  # pyfilesystem's ResourceNotFound is not an OSError
        raise OlxError(f"{label}: its definition file {path} cannot be read ({err}).") from None
    if definition.tag != node.tag:
        raise OlxError(f"{label}: {path} defines <{definition.tag}>, not <{node.tag}>.")
    definition.set("url_name", node.get("url_name"))
    return definition


# ----- platform fields ------------------------------------------------------------------


def platform_text(field, value):
    """A platform field's value as its XmlMixin writes it: strings bare (dates too), JSON otherwise."""
    value = field.to_json(value)
    return value if isinstance(value, str) else json.dumps(value)


def platform_value(field, text):
    """
    The value of a platform field's attribute, read as its XmlMixin reads it, except that
    a value a JSON-typed field cannot read fails instead of becoming its default.
    """
    try:
        value = json.loads(text)
        if value is not None:
            field.from_json(value)  # only JSON the field accepts: "2026-03-01" stays a string
    except (TypeError, ValueError):
        if isinstance(field, xblock_fields.Boolean) and text.strip().lower() in ("true", "false"):
            return text.strip().lower() == "true"  # "True", as some hand-written OLX has it
        if isinstance(field, JSON_TYPED):
            raise ValueError(f"“{text}” is not a valid {type(field).__name__.lower()}") from None
        value = text
    return field.from_json(value)


def unknown_parts(node, specs, fields):
    """Names of ``node``'s elements and attributes that are neither ours nor fields of the block."""
    attributes = [
        f'attribute "{name}"' for name in node.attrib if name not in IGNORED_ATTRIBUTES | set(specs) | set(fields)
    ]
    elements = [
        f"element <{etree.QName(child).localname}>"
        for child in node
        if isinstance(child.tag, str) and etree.QName(child).localname not in specs
    ]
    return elements + attributes


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
            continue  # written by a newer version: see unknown_parts
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
