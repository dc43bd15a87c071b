"""
The Studio editor of every step: what each field's control is, and how a save is checked.

Every problem is reported at once, each naming its field (``{"field", "message"}``), so
the editor marks each field itself rather than only the first error of several.
"""

from xblock.utils.studio_editable import FutureFields
from xblock.validation import ValidationMessage

from . import validation as spec
from .validation import _


class FieldMessage(ValidationMessage):
    """A validation message about one field (or a part of it: ``columns.2.type``)."""

    def __init__(self, message_type, message_text, field=None):
        super().__init__(message_type, message_text)
        self.field = field


def error(block, validation, message, field=None, **params):
    """Add an error of the block's rules, translated, naming the field it concerns."""
    validation.add(FieldMessage(ValidationMessage.ERROR, block.gettext(message).format(**params), field))


class StudioValidation:
    """A Validation whose truth is "no errors" (warnings are allowed)."""

    def __init__(self, usage_id):
        self.usage_id = usage_id
        self.messages = []

    def add(self, message):
        self.messages.append(message)

    def __bool__(self):
        return not any(message.type == ValidationMessage.ERROR for message in self.messages)


def validate(block, values):
    """Run the block's rules as if ``values`` were saved."""
    validation = StudioValidation(block.scope_ids.usage_id)
    block.validate_field_data(validation, FutureFields(values, [], block))
    return validation


def check_edits(block, data):
    """
    ``(problems, values)``: every field's value checked by its spec, then, if all are
    good, the block's rules across fields. Problems are ``{"field", "message"}``.
    """
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        return [request_problem(block, _('The request must be a JSON object with "values".'))], {}
    unexpected = sorted(set(data) - {"values", "defaults"})
    if unexpected:
        return [
            request_problem(block, _("The request has unexpected fields: {names}."), names=", ".join(unexpected))
        ], {}
    unknown = sorted(name for name in data["values"] if name not in block.editable_fields)
    if unknown:
        return [request_problem(block, _("These fields cannot be edited: {names}."), names=", ".join(unknown))], {}
    specs, values, problems = block.author_specs(), {}, []
    for name, value in data["values"].items():
        try:
            values[name] = specs[name].clean(value)
        except spec.InputError as err:
            err.at(name)
            problems.append({"field": err.field, "message": err.render(block.gettext)})
    if problems:
        return problems, {}
    validation = validate(block, values)
    if not validation:
        problems = [
            {"field": getattr(message, "field", None), "message": message.text}
            for message in validation.messages
            if message.type == ValidationMessage.ERROR
        ]
    return problems, values


def request_problem(block, message, **params):
    return {"field": None, "message": block.gettext(message).format(**params)}


def editor_field(block, name, field, field_spec):
    """Describe one field for the Studio editor: kind of control, value, options, limits."""
    info = {
        "name": name,
        "label": block.gettext(field.display_name or name),
        "help": block.gettext(field.help) if field.help else "",
        "value": field.read_from(block),
        "id": f"{block.html_id}-edit-{name}",
        "suggestions": [],
        "suggestions_label": "",
        "chart_preview": False,
    }
    editor = field.runtime_options.get("editor")
    if isinstance(field_spec, spec.Boolean):
        info["kind"] = "checkbox"
    elif isinstance(field_spec, (spec.Integer, spec.Real)):
        info.update(kind="number", min=field_spec.minimum, max=field_spec.maximum)
        info["step"] = 1 if isinstance(field_spec, spec.Integer) else "any"
    elif isinstance(field_spec, spec.Choice):
        info.update(kind="select", options=choice_options(block, field_spec))
    elif isinstance(field_spec, spec.ListOf):
        info["max_items"] = field_spec.max_items
        item = block.gettext(field.runtime_options.get("item_label", field.display_name or name))
        info["item_label"] = item
        add = field.runtime_options.get("add_label")
        info["add_label"] = block.gettext(add) if add else block.gettext("Add: {item}").format(item=item)
        if isinstance(field_spec.item, spec.Choice):
            info.update(kind="checkboxes", options=choice_options(block, field_spec.item))
        elif isinstance(field_spec.item, spec.Record):
            info.update(kind="records", columns=record_columns(block, field_spec.item))
            info["item_template"] = "common/studio_record.html"
        else:
            info.update(kind="lines", max_length=field_spec.item.max_length)
            info["item_template"] = "common/studio_line.html"
    else:
        single = getattr(field_spec, "single_line", False)
        info["kind"] = editor or ("text" if single else "textarea")
        info["max_length"] = field_spec.max_length
    return info


def choice_options(block, choice_spec):
    labels = choice_spec.labels or {}
    options = [{"value": value, "label": block.gettext(labels.get(value, value))} for value in choice_spec.choices]
    if choice_spec.allow_blank and choice_spec.blank_label:
        options.insert(0, {"value": "", "label": block.gettext(choice_spec.blank_label)})
    return options


def record_columns(block, record_spec):
    columns = []
    for key, sub in record_spec.fields.items():
        column = {"key": key, "label": block.gettext(sub.label)}
        if isinstance(sub, spec.Choice):
            column.update(kind="select", options=choice_options(block, sub))
        elif getattr(sub, "hidden", False):
            column["kind"] = "hidden"
        else:
            column.update(kind="text", max_length=sub.max_length)
        columns.append(column)
    return columns
