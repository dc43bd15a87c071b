"""
The markup repeated per item: list items and results rows, written in Python.

A learner's page repeats the same few elements dozens of times (a results row per
trial, an item per material or protocol step). Rendered as template includes they
cost several milliseconds per page; written here they cost microseconds. Each
function writes exactly one kind of item, and is also used for the ``<template>``
that the page's script clones (index ``__INDEX__``), so the two never differ.
Every value is escaped.
"""

from html import escape

from .validation import _  # marks messages for extraction; the block translates them


def esc(value):
    if value is None:
        return ""
    if value.__class__ in (int, float):  # learners' numbers: nothing to escape
        return str(value)
    return escape(str(value), quote=True)


def numbered(label, number):
    return str(label).replace("{number}", str(number))


def icon_button(action, icon, name, described):
    """A small button showing an icon; its accessible name (and tooltip) says what it does."""
    return (
        f'<button type="button" class="lamap-button lamap-small lamap-icon" data-list-action="{action}" '
        f'aria-label="{name}" title="{name}"{described}><span aria-hidden="true">{icon}</span></button>'
    )


def tools_markup(gettext, orderable):
    """The tools of every item of a list, with ``__LABEL__`` for the item's label id."""
    described = ' aria-describedby="__LABEL__"'
    moves = ""
    if orderable:
        moves = icon_button("up", "↑", esc(gettext("Move up")), described) + icon_button(
            "down", "↓", esc(gettext("Move down")), described
        )
    return f'<div class="lamap-item-tools">{moves}{icon_button("remove", "✕", esc(gettext("Remove")), described)}</div>'


def line_item(options, index, number, value):
    """One item of a list of lines: its numbered label, its field, its tools."""
    field_id = f"{options['prefix']}-{index}"
    label = options["label"]
    if options["multiline"]:
        field = (
            f'<textarea dir="auto" id="{field_id}" data-item-field="text" rows="2" '
            f'maxlength="{options["max_length"]}">{esc(value)}</textarea>'
        )
    else:
        field = (
            f'<input type="text" dir="auto" id="{field_id}" data-item-field="text" value="{esc(value)}" '
            f'maxlength="{options["max_length"]}"{options["datalist_attribute"]}>'
        )
    return (
        f'<li class="lamap-list-item lamap-line-item">'
        f'<label class="lamap-label" id="{field_id}-label" for="{field_id}" '
        f'data-numbered="{label}">{numbered(label, number)}</label>{field}'
        f"{options['tools'].replace('__LABEL__', field_id + '-label')}</li>"
    )


def line_list(options, values):
    """
    A list the learner edits line by line. ``options``: uid, name, gettext, item_label
    ("Step {number}"), add_label, max_items, max_length, orderable, multiline, datalist.
    """
    options = dict(
        options,
        prefix=f"{esc(options['uid'])}-{esc(options['name'])}",  # what every item shares, escaped once
        label=esc(options["item_label"]),
        datalist_attribute=f' list="{esc(options["datalist"])}"' if options.get("datalist") else "",
        tools=tools_markup(options["gettext"], options["orderable"]),
    )
    items = "".join([line_item(options, index, index + 1, value) for index, value in enumerate(values)])
    return (
        f'<div class="lamap-list" data-list="{esc(options["name"])}" data-max="{options["max_items"]}" data-min="0" '
        f'data-item-name="{options["label"]}"><ol class="lamap-list-items">{items}</ol>'
        f'<template class="lamap-list-template">{line_item(options, "__INDEX__", "", "")}</template>'
        f'<button type="button" class="lamap-button lamap-add" data-list-action="add">'
        f"{esc(options['add_label'])}</button></div>"
    )


def result_row_parts(options):
    """What every results row shares, escaped once per table: a prefix and suffix per cell."""
    uid = esc(options["uid"])
    cells = []
    for column in options["columns"]:
        key, label = esc(column["key"]), column["cell_label"]
        extra = ' inputmode="decimal"' if column["type"] == "number" else f' maxlength="{options["max_cell_text"]}"'
        cells.append(
            (
                f'<td><input type="text" dir="auto" class="lamap-cell-{esc(column["type"])}" data-item-field="{key}" '
                f'id="{uid}-cell-',
                f'-{key}"{extra} value="',
                f'" data-numbered-label="{esc(label)}" aria-label="',
                esc(label),
            )
        )
    labels = options["labels"]
    return {
        "cells": cells,
        "trial": esc(labels["trial"]),
        "repeat": esc(labels["repeat"]),
        "remove": esc(labels["remove"]),
        "repeat_text": esc(labels["repeat_text"]),
        "remove_text": esc(labels["remove_text"]),
    }


def result_row(parts, index, number, values, trial):
    """One results row: the trial's label, a field per column, Repeat and Remove (``parts`` from result_row_parts)."""
    cells = [
        f'{start}{index}{middle}{esc(value)}{described}{numbered(label, number)}"></td>'
        for (start, middle, described, label), value in zip(parts["cells"], values, strict=True)
    ]
    repeat, remove = parts["repeat"], parts["remove"]
    return (
        f'<tr class="lamap-list-item"><th scope="row" class="lamap-trial"><span data-trial-label>'
        f"{numbered(parts['trial'], trial)}</span></th>{''.join(cells)}"
        f'<td class="lamap-row-tools"><button type="button" class="lamap-button lamap-small" data-row-action="repeat" '
        f'data-numbered-label="{repeat}" aria-label="{numbered(repeat, number)}">{parts["repeat_text"]}'
        f'</button> <button type="button" class="lamap-button lamap-small" data-list-action="remove" '
        f'data-numbered-label="{remove}" aria-label="{numbered(remove, number)}">{parts["remove_text"]}'
        f"</button></td></tr>"
    )


def hypothesis_item(options, index, number, item):
    """
    One hypothesis being written: idea, reason, prediction and how sure, in a numbered
    fieldset; Remove only while it has never been submitted. ``options``: uid, gettext, remove_text,
    item_label, remove_label, max_length, confidence_choices ((value, label) pairs).
    """
    uid, gettext, limit = esc(options["uid"]), options["gettext"], options["max_length"]
    fields = []
    statements = (
        ("idea", _("I think that…")),
        ("reason", _("because…")),
        ("prediction", _("If…, then I will observe…")),
    )
    for key, label in statements:
        described = f' aria-describedby="{uid}-hypotheses-help"' if key == "prediction" else ""
        fields.append(
            f'<label class="lamap-label" for="{uid}-{key}-{index}">{esc(gettext(label))}</label>'
            f'<textarea dir="auto" id="{uid}-{key}-{index}" data-item-field="{key}" rows="2" '
            f'maxlength="{limit}"{described}>'
            f"{esc(item.get(key))}</textarea>"
        )
    choices = []
    for value, label in options["confidence_choices"]:
        checked = " checked" if item.get("confidence") == value else ""
        choice_id = f"{uid}-confidence-{index}-{value}"
        choices.append(
            f'<span class="lamap-choice"><input type="radio" id="{choice_id}" name="{uid}-confidence-{index}" '
            f'value="{value}" data-item-field="confidence"{checked}>'
            f'<label for="{choice_id}">{esc(label)}</label></span>'
        )
    tools = ""
    if not item.get("versions"):
        remove = esc(options["remove_label"])
        tools = (
            f'<div class="lamap-item-tools"><button type="button" class="lamap-button lamap-small" '
            f'data-list-action="remove" data-numbered-label="{remove}" aria-label="{numbered(remove, number)}">'
            f"{esc(options['remove_text'])}</button></div>"
        )
    label = esc(options["item_label"])
    return (
        f'<li class="lamap-list-item" data-id="{esc(item.get("id"))}"><fieldset class="lamap-fieldset">'
        f'<legend data-numbered="{label}">{numbered(label, number)}</legend>{"".join(fields)}'
        f'<fieldset class="lamap-fieldset lamap-inline"><legend>{esc(gettext("How sure are you?"))}</legend>'
        f"{''.join(choices)}</fieldset></fieldset>{tools}</li>"
    )
