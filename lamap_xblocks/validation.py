"""
Validation of what learners and authors send: plain functions and small spec classes.

Nothing here imports XBlock, so tests call it directly. A spec cleans one value and
returns the cleaned value, or raises InputError with a message that the block
translates before it reaches the person (messages are marked with the no-op ``_``).
"""

import math
import re

from .text import is_file_url, is_safe_url, normalise_text


def _(text):
    """Mark a string for extraction; the block translates it at render time."""
    return text


class InputError(ValueError):
    """
    Bad input. ``message`` is an untranslated template; ``label`` names the field.
    """

    def __init__(self, message, label=None, **params):
        super().__init__(message)
        self.message = message
        self.label = label
        self.index = None
        self.location = None
        self.position = _("{field}, item {number}")
        self.path = []  # where the value sits in the request: ["rows", 2, "time"]
        self.params = params

    def at(self, key):
        """Prefix the path with the field name or list index that holds the bad value."""
        self.path.insert(0, key)
        return self

    @property
    def field(self):
        """The path as the page names fields: "rows.2.time"."""
        return ".".join(str(key) for key in self.path)

    def within(self, label, index, position=None):
        """
        Say where the bad value sits: an unlabelled item takes the list's label and
        position; a labelled one (a cell of a row) is prefixed with the list position.
        """
        if self.label is None:
            self.label, self.index = label, index
        elif self.location is None:
            self.location = (label, index)
        if position:
            self.position = position
        return self

    def render(self, gettext):
        """The message in the active language."""

        def name(label, index):
            text = gettext(label) if label else ""
            if index is not None:
                text = gettext(self.position).format(field=text, number=index + 1)
            return text

        message = gettext(self.message).format(field=name(self.label, self.index), **self.params)
        if self.location:
            message = gettext("{where}: {message}").format(where=name(*self.location), message=message)
        return message

    def __str__(self):
        return self.render(lambda text: text)


class Spec:
    """Base of all specs: ``label`` names the value in error messages."""

    def __init__(self, label):
        self.label = label

    def clean(self, value):
        raise NotImplementedError


class Text(Spec):
    """A string of at most ``max_length`` characters, control characters removed."""

    def __init__(self, label, max_length, single_line=False, hidden=False):
        super().__init__(label)
        self.max_length = max_length
        self.single_line = single_line
        self.hidden = hidden  # kept by editors but not shown to people (an identifier)

    def clean(self, value):
        if not isinstance(value, str):
            raise InputError(_("{field} must be text."), self.label)
        text = normalise_text(value, single_line=self.single_line)
        if len(text) > self.max_length:
            raise InputError(
                _("{field} is too long: {length} characters, the limit is {limit}."),
                self.label,
                length=len(text),
                limit=self.max_length,
            )
        return text


class Url(Text):
    """
    A web address (http or https) or a site path such as Studio's /static/ links. With
    ``file=True`` (an image, a video), the address of a file: a web address with a path
    (never a bare ``https://host``), or a ``/static/`` file of the course.
    """

    def __init__(self, label, max_length, single_line=True, file=False):
        super().__init__(label, max_length, single_line=single_line)
        self.file = file

    def clean(self, value):
        url = super().clean(value)
        if not is_safe_url(url):
            raise InputError(_("{field} must be a web address (http:// or https://) or a /static/ path."), self.label)
        if url and self.file and not is_file_url(url):
            raise InputError(
                _("{field} must be the address of a file: https://… with its path, or /static/ and the file's name."),
                self.label,
            )
        return url


class Key(Text):
    """A short identifier authors choose (an investigation): letters, digits, dashes, underscores."""

    PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")

    def __init__(self, label, max_length=50):
        super().__init__(label, max_length, single_line=True)

    def clean(self, value):
        key = super().clean(value).strip().lower()
        if key and not self.PATTERN.fullmatch(key):
            raise InputError(
                _(
                    "{field} may contain only lowercase letters without accents, digits, dashes and underscores "
                    "(for example: floating-1)."
                ),
                self.label,
            )
        return key


class Choice(Spec):
    """One of a fixed set of strings; ``""`` means no choice yet when ``allow_blank``."""

    def __init__(self, label, choices, allow_blank=True, labels=None, blank_label=None):
        super().__init__(label)
        self.choices = tuple(choices)
        self.allow_blank = allow_blank
        self.labels = labels  # value -> message shown to people, when it differs from the value
        self.blank_label = blank_label  # what an editor shows for "" (allow_blank only)

    def clean(self, value):
        if value == "" and self.allow_blank:
            return ""
        if not isinstance(value, str) or value not in self.choices:
            raise InputError(_("{field} must be one of: {choices}."), self.label, choices=", ".join(self.choices))
        return value


class Integer(Spec):
    """A whole number in [minimum, maximum]; ``None`` allowed when ``allow_none``."""

    def __init__(self, label, minimum, maximum, allow_none=False):
        super().__init__(label)
        self.minimum = minimum
        self.maximum = maximum
        self.allow_none = allow_none

    def clean(self, value):
        if value is None and self.allow_none:
            return None
        # bool is an int subclass in Python; true/false is never a number here.
        if isinstance(value, bool) or not isinstance(value, int) or not self.minimum <= value <= self.maximum:
            raise InputError(
                _("{field} must be a whole number from {minimum} to {maximum}."),
                self.label,
                minimum=self.minimum,
                maximum=self.maximum,
            )
        return value


class Real(Spec):
    """A number in [minimum, maximum], such as a score weight."""

    def __init__(self, label, minimum, maximum):
        super().__init__(label)
        self.minimum = minimum
        self.maximum = maximum

    def clean(self, value):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (math.isfinite(value) and self.minimum <= value <= self.maximum)
        ):
            raise InputError(
                _("{field} must be a number from {minimum} to {maximum}."),
                self.label,
                minimum=self.minimum,
                maximum=self.maximum,
            )
        return float(value)


class Boolean(Spec):
    """true or false."""

    def clean(self, value):
        if not isinstance(value, bool):
            raise InputError(_("{field} must be true or false."), self.label)
        return value


NUMBER_PATTERN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


class Number(Spec):
    """
    A measurement: a finite number, or text a person types ("12.5", "12,5"), or blank (None).
    """

    def __init__(self, label, limit=1e12):
        super().__init__(label)
        self.limit = limit

    def clean(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            text = value.strip().replace("\u00a0", "").replace(" ", "")
            if not NUMBER_PATTERN.match(text):
                raise InputError(_("{field} must be a number, for example 12.5."), self.label)
            value = float(text.replace(",", "."))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(_("{field} must be a number, for example 12.5."), self.label)
        if not math.isfinite(value) or abs(value) > self.limit:
            raise InputError(_("{field} must be a number, for example 12.5."), self.label)
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


class ListOf(Spec):
    """A list of at most ``max_items`` values, each cleaned by ``item``."""

    def __init__(self, label, item, max_items, item_name="item", unique=False, *, position=None):
        super().__init__(label)
        self.position = position  # how an error names an item: "{field}, row {number}"
        self.item = item
        self.max_items = max_items
        self.item_name = item_name  # the element of each item in OLX
        self.unique = unique

    def clean(self, value):
        if not isinstance(value, list):
            raise InputError(_("{field} must be a list."), self.label)
        if len(value) > self.max_items:
            raise InputError(
                _("Too many items in {field}: {count}, the limit is {limit}."),
                self.label,
                count=len(value),
                limit=self.max_items,
            )
        cleaned = []
        for index, item in enumerate(value):
            try:
                cleaned.append(self.item.clean(item))
            except InputError as err:
                raise err.within(self.label, index, self.position).at(index) from None
        if self.unique and len(set(map(repr, cleaned))) != len(cleaned):
            raise InputError(_("The same value appears twice in {field}."), self.label)
        return cleaned


class Record(Spec):
    """
    A JSON object with exactly the keys of ``fields`` (a dict of name -> spec).
    Missing and unexpected keys are both errors, so a typo never passes silently.
    """

    def __init__(self, label, fields):
        super().__init__(label)
        self.fields = fields

    def clean(self, value):
        if not isinstance(value, dict):
            raise InputError(_("{field} must be a JSON object."), self.label)
        unexpected = sorted(set(value) - set(self.fields))
        if unexpected:
            raise InputError(
                _("Unexpected fields in {field}: {names}."), self.label, names=", ".join(map(str, unexpected))
            )
        missing = [name for name in self.fields if name not in value]
        if missing:
            raise InputError(_("Missing fields in {field}: {names}."), self.label, names=", ".join(missing))
        return clean_each(self.fields, value)


def clean_each(fields, data):
    """Clean each named value; an error carries the name in its path."""
    cleaned = {}
    for name, field_spec in fields.items():
        try:
            cleaned[name] = field_spec.clean(data[name])
        except InputError as err:
            raise err.at(name) from None
    return cleaned


def clean_request(fields, data):
    """
    Clean a handler's JSON body against ``fields``; the whole request is one record.
    Errors name the offending field with its own label.
    """
    if not isinstance(data, dict):
        raise InputError(_("The request must be a JSON object."))
    unexpected = sorted(set(data) - set(fields))
    if unexpected:
        raise InputError(_("The request has unexpected fields: {names}."), names=", ".join(map(str, unexpected)))
    missing = [name for name in fields if name not in data]
    if missing:
        raise InputError(_("The request is missing these fields: {names}."), names=", ".join(missing))
    return clean_each(fields, data)
