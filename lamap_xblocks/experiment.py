"""The experiment step: a fair test designed, run and recorded in a table with a chart."""

import json
import re
import unicodedata

from xblock.fields import Boolean, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field, now_iso

MAX_COLUMNS = 8
MAX_ROWS = 100
MAX_SHORT = 300
MAX_ITEM = 200
MAX_STEP = 500
MAX_LONG = 5000
MAX_CONTROLLED = 15
MAX_MATERIALS = 30
MAX_STEPS = 30
MAX_CELL_TEXT = 200

COLUMN_TYPES = {"number": _("Number"), "text": _("Text")}
CHECK_LABELS = {
    "one_variable": _("Only one variable is changed"),
    "controlled": _("At least one variable is kept the same"),
    "prediction_first": _("The prediction is written before the results"),
}
DEFAULT_COLUMNS = [
    {"key": "condition", "name": "Condition", "unit": "", "type": "text"},
    {"key": "result", "name": "Result", "unit": "", "type": "number"},
]
# Words that join several variables into one answer ("temperature and sugar").
SEVERAL = re.compile(r"[,;+&]|\b(and|or|et|ou|und|oder)\b", re.IGNORECASE)


def column_key(name, taken):
    """A stable key for a new column, from its name: "Température (°C)" -> "temperature_c"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:30] or "column"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


class Columns(spec.ListOf):
    """The results table's columns; a column without a key (a new one) gets one from its name."""

    def clean(self, value):
        columns = super().clean(value)
        taken = set()
        for column in columns:
            if not column["key"] or column["key"] in taken or not re.fullmatch(r"[a-z0-9_]+", column["key"]):
                column["key"] = column_key(column["name"], taken)
            taken.add(column["key"])
        return columns


def variables_in(text):
    """The variables named in a "what I change" answer, split on and/or, commas..."""
    return [part.strip() for part in SEVERAL.split(text or "") if part and part.strip() and not SEVERAL.fullmatch(part)]


def fair_test_checks(work, prediction_on, data_on):
    """
    The three fair-test checks on a learner's design: (id, passed, message) for each,
    messages untranslated with their values. Pure: the block translates and shows them.
    """
    checks = []
    changed = variables_in(work["changed_variable"])
    controlled = [item for item in work["controlled_variables"] if item]
    if not changed:
        checks.append(("one_variable", False, _("Say which one thing you change between trials."), {}))
    elif len(changed) > 1:
        checks.append(
            (
                "one_variable",
                False,
                _(
                    "It looks like you change more than one thing ({variable}). Change only one, "
                    "so that you know what caused any difference."
                ),
                {"variable": work["changed_variable"]},
            )
        )
    elif any(item.strip().lower() == changed[0].lower() for item in controlled):
        checks.append(
            (
                "one_variable",
                False,
                _("{variable} is both changed and kept the same: it can only be one of them."),
                {"variable": changed[0]},
            )
        )
    else:
        checks.append(("one_variable", True, _("You change one thing only: {variable}."), {"variable": changed[0]}))
    if controlled:
        checks.append(
            ("controlled", True, _("You keep these the same: {variables}."), {"variables": ", ".join(controlled)})
        )
    else:
        checks.append(
            (
                "controlled",
                False,
                _(
                    "List what you keep the same in every trial (the same amount of water, the same container...), "
                    "so that the test is fair."
                ),
                {},
            )
        )
    if not work["prediction"]:
        checks.append(("prediction_first", False, _("Write what you predict before you record results."), {}))
    elif data_on and prediction_on and prediction_on > data_on:
        checks.append(
            (
                "prediction_first",
                False,
                _(
                    "Your prediction was written after your first results. Next time, predict first: "
                    "a prediction made afterwards cannot be tested."
                ),
                {},
            )
        )
    else:
        checks.append(("prediction_first", True, _("You wrote your prediction before recording results."), {}))
    return checks


def has_results(rows, columns):
    """Whether any row has a measurement (a value in a column other than the first)."""
    keys = [column["key"] for column in columns[1:]] or [column["key"] for column in columns]
    return any(row.get(key) not in (None, "") for row in rows for key in keys)


def trial_numbers(rows, first_key):
    """Trial 1, 2, 3... of each condition: rows sharing the first column's value are repeats."""
    seen, numbers = {}, []
    for row in rows:
        condition = str(row.get(first_key) or "").strip().lower()
        seen[condition] = seen.get(condition, 0) + 1
        numbers.append(seen[condition])
    return numbers


class ExperimentBlock(InquiryStepBlock):
    """
    The learner designs a fair test (what changes, what is measured, what is kept the
    same, materials, protocol, prediction), records results in the author's table with
    repeated trials, sees them charted, and notes observations. Fair-test feedback is
    friendly; the author can make any of its checks required.
    """

    STEP = "experiment"
    PREVIOUS_STEP = "hypothesis"
    EARLIER_HEADING = _("Your hypotheses")
    EARLIER_MISSING = _(
        "You have not submitted the hypothesis step of this investigation yet. You can still plan "
        "your experiment; once you submit your hypotheses, they will appear here."
    )
    JS_CLASS = "LamapExperimentBlock"
    WORK_FIELDS = (
        "tested_hypothesis",
        "changed_variable",
        "measured_variable",
        "controlled_variables",
        "materials",
        "protocol",
        "prediction",
        "rows",
        "observations",
    )

    display_name = display_name_field(_("Your experiment"))

    columns = List(
        display_name=_("Results table columns"),
        help=_(
            "The columns of the learners' results table. The first column is what learners change "
            "(for example the water temperature); the chart plots the other number columns against it."
        ),
        scope=Scope.content,
        default=DEFAULT_COLUMNS,
        item_label=_("Column"),
    )
    max_rows = Integer(
        display_name=_("Maximum number of rows"),
        help=_("How many rows (conditions and repeated trials) a learner may record."),
        scope=Scope.settings,
        default=30,
    )
    required_checks = List(
        display_name=_("Required fair-test checks"),
        help=_("Checks a learner's experiment must pass before it can be submitted. Unchecked ones are advice only."),
        scope=Scope.settings,
        default=[],
    )
    show_chart = Boolean(
        display_name=_("Show a chart"),
        help=_("Draw the number columns of the results table as a chart, updated as learners type."),
        scope=Scope.settings,
        default=True,
    )

    tested_hypothesis = String(
        scope=Scope.user_state,
        default="",
        help="Id of the hypothesis under test (from the investigation's hypothesis step)",
    )
    changed_variable = String(scope=Scope.user_state, default="", help="The one variable the learner changes")
    measured_variable = String(scope=Scope.user_state, default="", help="What the learner measures or observes")
    controlled_variables = List(scope=Scope.user_state, default=[], help="Variables kept the same")
    materials = List(scope=Scope.user_state, default=[], help="Materials, one per item")
    protocol = List(scope=Scope.user_state, default=[], help="Protocol steps, in order")
    prediction = String(scope=Scope.user_state, default="", help="The predicted result")
    rows = List(scope=Scope.user_state, default=[], help="Results: one dict per row, column key -> value")
    observations = String(scope=Scope.user_state, default="", help="What the learner noticed")
    prediction_on = String(scope=Scope.user_state, default=None, help="When a prediction was first saved")
    data_on = String(scope=Scope.user_state, default=None, help="When a result was first saved")

    editable_fields = (
        "display_name",
        "investigation",
        "prompt",
        "columns",
        "max_rows",
        "show_chart",
        "required_checks",
        "scored",
        "weight",
    )

    @staticmethod
    def workbench_scenarios():
        from .scenarios import experiment_scenarios  # pylint: disable=import-outside-toplevel

        return experiment_scenarios()

    # ----- authoring -------------------------------------------------------------------

    def author_specs(self):
        column = spec.Record(
            _("Column"),
            {
                "key": spec.Text(_("Key"), 40, single_line=True, hidden=True),
                "name": spec.Text(_("Name"), 100, single_line=True),
                "unit": spec.Text(_("Unit"), 30, single_line=True),
                "type": spec.Choice(_("Type"), COLUMN_TYPES, allow_blank=False, labels=COLUMN_TYPES),
            },
        )
        return dict(
            super().author_specs(),
            columns=Columns(_("Results table columns"), column, MAX_COLUMNS, item_name="column"),
            max_rows=spec.Integer(_("Maximum number of rows"), 1, MAX_ROWS),
            show_chart=spec.Boolean(_("Show a chart")),
            required_checks=spec.ListOf(
                _("Required fair-test checks"),
                spec.Choice(None, CHECK_LABELS, allow_blank=False, labels=CHECK_LABELS),
                len(CHECK_LABELS),
                item_name="check",
                unique=True,
            ),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)
        if not data.columns:
            validation.add(
                ValidationMessage(ValidationMessage.ERROR, self.gettext("The results table needs at least one column."))
            )
        names = [column["name"].strip().lower() for column in data.columns]
        if any(not name for name in names):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext("Every column needs a name.")))
        if len(set(names)) != len(names):
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR, self.gettext("Two columns have the same name: give each its own.")
                )
            )
        if data.show_chart and data.columns and not any(column["type"] == "number" for column in data.columns[1:]):
            validation.add(
                ValidationMessage(
                    ValidationMessage.WARNING,
                    self.gettext("The chart needs a number column after the first one: it will not be drawn."),
                )
            )

    def author_summary(self):
        columns = ", ".join(self.column_title(column) for column in self.columns)
        required = ", ".join(self.gettext(CHECK_LABELS[check]) for check in self.required_checks)
        return super().author_summary() + [
            (self.gettext("Results table columns"), columns),
            (self.gettext("Required fair-test checks"), required or self.gettext("None (advice only)")),
        ]

    @staticmethod
    def column_title(column):
        return f"{column['name']} ({column['unit']})" if column.get("unit") else column["name"]

    def student_view_data(self, context=None):
        return dict(
            super().student_view_data(context),
            columns=self.columns,
            max_rows=self.max_rows,
            show_chart=self.show_chart,
            required_checks=self.required_checks,
        )

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        cells = {}
        for column in self.columns:
            title = self.column_title(column)
            cells[column["key"]] = (
                spec.Number(title) if column["type"] == "number" else spec.Text(title, MAX_CELL_TEXT, single_line=True)
            )
        return {
            "tested_hypothesis": spec.Text(_("The hypothesis I test"), 40, single_line=True),
            "changed_variable": spec.Text(_("The one thing I change"), MAX_SHORT, single_line=True),
            "measured_variable": spec.Text(_("What I measure or observe"), MAX_SHORT, single_line=True),
            "controlled_variables": spec.ListOf(
                _("What I keep the same"), spec.Text(None, MAX_ITEM, single_line=True), MAX_CONTROLLED
            ),
            "materials": spec.ListOf(_("Materials"), spec.Text(None, MAX_ITEM, single_line=True), MAX_MATERIALS),
            "protocol": spec.ListOf(_("Protocol steps"), spec.Text(None, MAX_STEP), MAX_STEPS),
            "prediction": spec.Text(_("My prediction"), MAX_LONG),
            "rows": spec.ListOf(_("Results table"), spec.Record(_("Row"), cells), self.max_rows),
            "observations": spec.Text(_("My observations"), MAX_LONG),
        }

    def clean_work(self, data):
        if isinstance(data, dict):  # clients from before investigations send no hypothesis
            data = {"tested_hypothesis": "", **data}
        work = super().clean_work(data)
        hypotheses = self.hypotheses_under_test()
        ids = [item["id"] for item in hypotheses]
        if work["tested_hypothesis"] and work["tested_hypothesis"] not in ids:
            raise spec.InputError(_("The hypothesis you test must be one of your submitted hypotheses."))
        if len(ids) == 1:
            work["tested_hypothesis"] = ids[0]
        return work

    def store_work(self, work, submitting):
        super().store_work(work, submitting)
        stamp = now_iso()
        if not work["prediction"]:
            self.prediction_on = None
        elif not self.prediction_on:
            self.prediction_on = stamp
        if has_results(work["rows"], self.columns):
            self.data_on = self.data_on or stamp
        else:
            self.data_on = None

    def checks(self, work=None):
        """The fair-test checks, translated, with whether the author requires each."""
        results = fair_test_checks(work or self.current_work(), self.prediction_on, self.data_on)
        return [
            {
                "id": check_id,
                "label": self.gettext(CHECK_LABELS[check_id]),
                "passed": passed,
                "message": self.gettext(message).format(**values),
                "required": check_id in self.required_checks,
            }
            for check_id, passed, message, values in results
        ]

    def missing_parts(self, work):
        missing = []
        if len(self.hypotheses_under_test()) > 1 and not work["tested_hypothesis"]:
            missing.append(self.gettext("Choose the hypothesis your experiment tests."))
        if not work["changed_variable"]:
            missing.append(self.gettext("Say what you change."))
        if not work["measured_variable"]:
            missing.append(self.gettext("Say what you measure or observe."))
        if not work["prediction"]:
            missing.append(self.gettext("Write your prediction."))
        if not has_results(work["rows"], self.columns):
            missing.append(self.gettext("Record at least one result in the table."))
        # The timing check needs this save's stamps: a first prediction saved now counts as now.
        prediction_on = self.prediction_on or (now_iso() if work["prediction"] else None)
        data_on = self.data_on or (now_iso() if has_results(work["rows"], self.columns) else None)
        for check_id, passed, message, values in fair_test_checks(work, prediction_on, data_on):
            if check_id in self.required_checks and not passed:
                missing.append(self.gettext(message).format(**values))
                if check_id == "prediction_first" and work["prediction"]:
                    missing.append(
                        self.gettext(
                            "To submit, keep your prediction, empty the results table and record your trials again."
                        )
                    )
        return missing

    # ----- the investigation ---------------------------------------------------------------

    def hypotheses_under_test(self):
        """The learner's submitted hypotheses in this investigation (none without one)."""
        record = self.earlier_record()
        return list(record.work.get("hypotheses", [])) if record else []

    def record_work(self, work):
        tested = next((item for item in self.hypotheses_under_test() if item["id"] == work["tested_hypothesis"]), None)
        return dict(work, columns=self.columns, tested=tested)

    def earlier_parts(self, record):
        from .hypothesis import HypothesisBlock

        return HypothesisBlock.summary(record.work, self.gettext)

    @classmethod
    def summary(cls, work, gettext):
        columns = work.get("columns") or []
        tested = work.get("tested") or {}
        return [
            {
                "label": gettext("The hypothesis I test"),
                "text": f"{tested.get('idea', '')} {tested.get('prediction', '')}".strip(),
            },
            {"label": gettext("The one thing I change"), "text": work.get("changed_variable", "")},
            {"label": gettext("What I measure or observe"), "text": work.get("measured_variable", "")},
            {
                "label": gettext("What I keep the same"),
                "list": [item for item in work.get("controlled_variables", []) if item],
            },
            {"label": gettext("Materials"), "list": [item for item in work.get("materials", []) if item]},
            {"label": gettext("Protocol steps"), "list": [item for item in work.get("protocol", []) if item]},
            {"label": gettext("My prediction"), "text": work.get("prediction", "")},
            {
                "label": gettext("Results table"),
                "table": {
                    "head": [cls.column_title(column) for column in columns],
                    "rows": [
                        ["" if row.get(column["key"]) is None else str(row.get(column["key"])) for column in columns]
                        for row in work.get("rows", [])
                    ],
                }
                if columns and work.get("rows")
                else None,
            },
            {"label": gettext("My observations"), "text": work.get("observations", "")},
        ]

    def feedback(self):
        # Advice starts once there is a plan to look at, not on an empty page.
        return {"checks": self.checks()} if self.saved_on else {}

    def student_context(self):
        # "{number}" is left for the row number (rendered per row, and by the page's script).
        cell_label = self.gettext("{column}, row {number}")
        columns = [
            dict(
                column,
                title=self.column_title(column),
                cell_label=cell_label.replace("{column}", self.column_title(column)),
            )
            for column in self.columns
        ]
        first = columns[0]["key"] if columns else None
        rows = self.rows or [{}]
        hypotheses = self.hypotheses_under_test()
        return {
            "tested_choices": [
                {"id": item["id"], "label": item.get("idea", ""), "checked": item["id"] == self.tested_hypothesis}
                for item in hypotheses
            ]
            if len(hypotheses) > 1
            else [],
            "columns": columns,
            "columns_json": json.dumps(columns),
            "rows": [
                {"cells": [row.get(column["key"]) for column in columns], "trial": trial}
                for row, trial in zip(rows, trial_numbers(rows, first), strict=True)
            ],
            "checks": self.checks() if self.saved_on else [],
            "max_short": MAX_SHORT,
            "max_item": MAX_ITEM,
            "max_step": MAX_STEP,
            "max_long": MAX_LONG,
            "max_cell_text": MAX_CELL_TEXT,
            "limits": {"controlled": MAX_CONTROLLED, "materials": MAX_MATERIALS, "protocol": MAX_STEPS},
        }
