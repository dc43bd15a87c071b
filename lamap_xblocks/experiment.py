"""The experiment step: a fair test designed, run and recorded in a table with a chart."""

import hashlib
import json
import re
import unicodedata

from django.utils.safestring import mark_safe
from xblock.fields import Boolean, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import charts, dashboard, markup, olx, studio
from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field, json_api, now_iso
from .i18n import current_language

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
COLUMN_ROLES = {
    "changed": _("What learners change"),
    "measured": _("What learners measure or observe"),
    "prediction": _("Learners' prediction"),
    "time": _("When it is measured (a time series: the day, the minute)"),
}
CHECK_LABELS = {
    "one_variable": _("Only one variable is changed"),
    "values": _("The changed variable takes at least two values"),
    "controlled": _("At least one variable is kept the same"),
    "prediction_first": _("The prediction is written before the results"),
}
DEFAULT_COLUMNS = [
    {"key": "condition", "name": "Condition", "unit": "", "type": "text", "role": "changed"},
    {"key": "result", "name": "Result", "unit": "", "type": "number", "role": "measured"},
]
MAX_VALUES = 12
MAX_MEASURED = 6
MAX_CHOICES = 30
# Advice only, never a check: words that may join two variables in one name
# ("temperature and sugar"). What is in brackets lists values, not variables.
SEVERAL = re.compile(r"[+&]|\b(and|et|y|e|und)\b", re.IGNORECASE)
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


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
        if isinstance(value, list):  # columns written before roles existed have none
            value = [{"role": "", **item} if isinstance(item, dict) else item for item in value]
        columns = super().clean(value)
        taken = set()
        for column in columns:
            if not column["key"] or column["key"] in taken or not re.fullmatch(r"[a-z0-9_]+", column["key"]):
                column["key"] = column_key(column["name"], taken)
            taken.add(column["key"])
        return columns


def normal(text):
    return " ".join(str(text or "").casefold().split())


def measured_of(work):
    """What the learner measures: a list now; one text in state and records written before."""
    measured = work.get("measured_variables")
    if measured is None:
        legacy = work.get("measured_variable") or ""
        measured = [legacy] if legacy else []
    return [item for item in measured if item]


def condition_values(work, columns):
    """The values the plan compares: those listed, else the conditions recorded in the table."""
    values = []
    for value in work.get("changed_values") or []:
        if value and normal(value) not in map(normal, values):
            values.append(value)
    if len(values) < 2 and columns:
        changed = charts.roles(columns)[0]
        for row in work.get("rows") or []:
            value = charts.text_of(row.get(changed["key"]))
            if value and normal(value) not in map(normal, values):
                values.append(value)
    return values


def fair_test_checks(work, columns, prediction_on, data_on):
    """
    The fair-test checks on a learner's plan: (id, passed, message, values) for each,
    messages untranslated. Decided from the plan's structure (one named variable with
    its values), never by splitting words: any correct plan passes.
    """
    checks = []
    variable = work["changed_variable"].strip()
    controlled = [item for item in work["controlled_variables"] if item]
    if not variable:
        checks.append(("one_variable", False, _("Name the one thing you change between trials."), {}))
    elif normal(variable) in {normal(item) for item in controlled}:
        checks.append(
            (
                "one_variable",
                False,
                _("{variable} is both changed and kept the same: it can only be one of them."),
                {"variable": variable},
            )
        )
    else:
        checks.append(("one_variable", True, _("You change one thing only: {variable}."), {"variable": variable}))
    values = condition_values(work, columns)
    if len(values) >= 2:
        checks.append(("values", True, _("You compare these values: {values}."), {"values": ", ".join(values)}))
    else:
        checks.append(
            (
                "values",
                False,
                _("List at least two values of what you change, to compare them (for example: cold, warm, hot)."),
                {},
            )
        )
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
    if not has_prediction(work, columns):
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


def plan_advice(work):
    """Advice on the wording of the plan (never required): a name that may join two variables."""
    variable = BRACKETS.sub(" ", work.get("changed_variable") or "")
    if SEVERAL.search(variable):
        return [
            (
                _(
                    "If “{variable}” names two things, change only one of them: otherwise you cannot tell "
                    "which one caused a difference."
                ),
                {"variable": work["changed_variable"].strip()},
            )
        ]
    return []


def recap(items, limit=90):
    """A filled section in one line: its items, shortened (the section itself holds them all)."""
    text = "; ".join(item for item in items if item)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plan_sections(work, ngettext):
    """
    The plan's sections: each is open until filled, then folds to a one-line recap that the
    learner can open again, so that a finished plan takes little room.
    """
    values = [value for value in work["changed_values"] if value]
    measured, kept = work["measured_variables"], [item for item in work["controlled_variables"] if item]
    materials, steps = [item for item in work["materials"] if item], [item for item in work["protocol"] if item]
    variable = work["changed_variable"]
    return {
        "variable": {
            "open": not (variable and len(values) >= 2),
            "recap": f"{variable} ({', '.join(values)})" if variable and values else variable,
        },
        "measures": {"open": not (measured and kept), "recap": recap([*measured, *kept])},
        "method": {
            "open": not (materials and steps),
            "recap": ngettext("{count} material", "{count} materials", len(materials)).format(count=len(materials))
            + ", "
            + ngettext("{count} step", "{count} steps", len(steps)).format(count=len(steps))
            if materials or steps
            else "",
        },
    }


def measured_keys(columns):
    changed, measured, _predictions = charts.roles(columns)
    return [column["key"] for column in measured] or ([changed["key"]] if changed else [])


def has_results(rows, columns):
    """Whether any row has a measurement (a value outside the changed and prediction columns)."""
    keys = measured_keys(columns)
    return any(row.get(key) not in (None, "") for row in rows for key in keys)


def has_prediction(work, columns):
    """A written prediction, or one in a prediction column of the table."""
    if work.get("prediction"):
        return True
    keys = [column["key"] for column in charts.roles(columns)[2]]
    return any(row.get(key) not in (None, "") for row in work.get("rows") or [] for key in keys)


def trial_numbers(rows, columns):
    """
    Trial 1, 2, 3... of each condition: rows sharing the changed variable's value are repeats;
    in a time series, rows sharing the condition and the time (the other days are readings).
    """
    changed = charts.roles(columns)[0] if columns else None
    time = charts.time_column(columns)
    seen, numbers = {}, []
    for row in rows:
        condition = normal(row.get(changed["key"])) if changed else ""
        if time:
            condition = (condition, normal(row.get(time["key"])))
        seen[condition] = seen.get(condition, 0) + 1
        numbers.append(seen[condition])
    return numbers


def trial_counts(rows, columns):
    """How many trials each condition had, ``{condition: count}`` (in a time series: its repeats at one time)."""
    changed = charts.roles(columns)[0] if columns else None
    counts = {}
    for row, trial in zip(rows, trial_numbers(rows, columns), strict=True):
        condition = normal(row.get(changed["key"])) if changed else ""
        counts[condition] = max(counts.get(condition, 0), trial)
    return counts


def results_table(columns, rows, gettext):
    """
    The results as a notebook table: the trial (not in a time series, where the time column
    says which reading a row is), then the author's columns; numbers as the reader writes them.
    """
    trials = trial_numbers(rows, columns)
    series = charts.time_column(columns) is not None
    formatter = charts.Formatter(current_language())

    def cell(column, value):
        if value is None:
            return ""
        amount = charts.number(value) if column["type"] == "number" else None
        return formatter.value(amount) if amount is not None else str(value)

    return {
        "head": ([] if series else [gettext("Trial")]) + [charts.column_title(column) for column in columns],
        "rows": [
            ([] if series else [str(trial)]) + [cell(column, row.get(column["key"])) for column in columns]
            for row, trial in zip(rows, trials, strict=True)
        ],
    }


def chart_svg(chart, rows):
    """A chart's SVG for a notebook or staff page; its ids come from the data, unique per table shown."""
    if not chart or chart.get("empty"):
        return ""
    digest = hashlib.sha1(json.dumps(rows, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:10]
    return charts.render_svg(chart, f"lamap-results-{digest}")


def chart_of(work, gettext, ngettext=None):
    """The chart description of a learner's results (its settings travel with the work)."""
    columns, rows = work.get("columns") or [], work.get("rows") or []
    settings = work.get("chart") or {}
    if settings.get("off"):
        return None
    return charts.describe(
        columns,
        rows,
        settings,
        gettext,
        ngettext=ngettext,
        trials=trial_numbers(rows, columns),
        language=current_language(),
        order=work.get("changed_values"),
    )


class ExperimentBlock(InquiryStepBlock):
    """
    The learner plans a fair test (the one variable changed and its values, what is
    measured, what is kept the same, materials, protocol, prediction), records results
    in the author's table with repeated trials, sees them in the author's chart, and
    notes observations. Fair-test feedback is friendly; the author can require checks.
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
        "changed_values",
        "measured_variables",
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
            "The columns of the learners' results table, each with its role: what learners change (one "
            "column, the first by default), what they measure or observe, their prediction, or when they "
            "measure (a time series: the rows of a condition are then readings over time, not repeated trials)."
        ),
        scope=Scope.content,
        default=DEFAULT_COLUMNS,
        item_label=_("Column"),
        add_label=_("Add a column"),
    )
    variable_choices = List(
        display_name=_("Variables to choose from"),
        help=_(
            "Optional: variables offered to learners when they name what they change and what they "
            "measure. They may still write their own."
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Variable"),
        add_label=_("Add a variable"),
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
        help=_("Draw the results as a chart, updated as learners type, in their notebook and in the staff view."),
        scope=Scope.settings,
        default=True,
    )
    chart_kind = String(
        display_name=_("Chart"),
        help=_(
            "Blank: a summary by condition when the table has a number column. Scatter: one number column "
            "against another, coloured by a third. Summary: each trial as a dot and the median or mean for each "
            "value of what learners change. Line: along an ordered number such as days, one line per category."
        ),
        scope=Scope.settings,
        default="",
    )
    chart_x = String(
        display_name=_("Chart: horizontal axis (column name)"),
        help=_("Blank: the column of what learners change (scatter and line: the first number column)."),
        scope=Scope.settings,
        default="",
    )
    chart_y = String(
        display_name=_("Chart: vertical axis (column name)"),
        help=_("Blank: the first measured number column. One quantity, so one unit, per axis."),
        scope=Scope.settings,
        default="",
    )
    chart_group = String(
        display_name=_("Chart: colour and shape by (column name)"),
        help=_("Scatter and line: a text column whose values get their own colour and shape (floats, sinks)."),
        scope=Scope.settings,
        default="",
    )
    chart_statistic = String(
        display_name=_("Chart: summary statistic"),
        help=_("The median resists one odd trial; the mean uses every value."),
        scope=Scope.settings,
        default="median",
    )
    chart_summary_mark = String(
        display_name=_("Chart: draw the summary as"),
        help=_("A tick across the trials, or a bar from zero."),
        scope=Scope.settings,
        default="tick",
    )
    chart_log_x = Boolean(
        display_name=_("Chart: log scale across"),
        help=_("For values spanning several powers of ten. Values of 0 or less cannot be shown."),
        scope=Scope.settings,
        default=False,
    )
    chart_log_y = Boolean(
        display_name=_("Chart: log scale up"),
        help=_(
            "For values spanning several powers of ten (a paperclip and a brick). Values of 0 or less cannot be shown."
        ),
        scope=Scope.settings,
        default=False,
    )

    pool_after_submit = Boolean(
        display_name=_("Show the class's results after submitting"),
        help=_(
            "Once they submit, learners see the latest results of the other learners of the investigation on "
            "one chart beside theirs (anonymous), and can cite them in their argument as class data."
        ),
        scope=Scope.settings,
        default=False,
    )
    pool_minimum = Integer(
        display_name=_("Other learners needed before the class's results are shown"),
        help=_("Nothing is shown until at least this many other learners have submitted: no one can be recognised."),
        scope=Scope.settings,
        default=3,
    )

    tested_hypothesis = String(
        scope=Scope.user_state,
        default="",
        help="Id of the hypothesis under test (from the investigation's hypothesis step)",
    )
    changed_variable = String(scope=Scope.user_state, default="", help="The one variable the learner changes")
    changed_values = List(scope=Scope.user_state, default=[], help="The values of the changed variable compared")
    measured_variables = List(
        scope=Scope.user_state, default=None, help="What the learner measures or observes, one or more"
    )
    measured_variable = String(
        scope=Scope.user_state, default="", help="Before measured_variables: what the learner measures (read only)"
    )
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
        "investigation_name",
        "prompt",
        "columns",
        "variable_choices",
        "max_rows",
        "show_chart",
        *charts.SETTINGS,
        "chart_log_x",
        "chart_log_y",
        "required_checks",
        "pool_after_submit",
        "pool_minimum",
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
                "role": spec.Choice(_("Role"), COLUMN_ROLES, labels=COLUMN_ROLES, blank_label=_("Other")),
            },
        )
        return dict(
            super().author_specs(),
            columns=Columns(_("Results table columns"), column, MAX_COLUMNS, item_name="column"),
            variable_choices=spec.ListOf(
                _("Variables to choose from"),
                spec.Text(None, MAX_ITEM, single_line=True),
                MAX_CHOICES,
                item_name="variable",
                unique=True,
            ),
            max_rows=spec.Integer(_("Maximum number of rows"), 1, MAX_ROWS),
            show_chart=spec.Boolean(_("Show a chart")),
            required_checks=spec.ListOf(
                _("Required fair-test checks"),
                spec.Choice(None, CHECK_LABELS, allow_blank=False, labels=CHECK_LABELS),
                len(CHECK_LABELS),
                item_name="check",
                unique=True,
            ),
            **charts.author_specs(),
            pool_after_submit=spec.Boolean(_("Show the class's results after submitting")),
            pool_minimum=spec.Integer(_("Other learners needed before the class's results are shown"), 1, 50),
        )

    def editor_fields(self):
        fields = super().editor_fields()
        names = [column["name"] for column in self.columns]
        for field in fields:
            field["chart_preview"] = field["name"] == "chart_log_y"  # the preview follows the chart settings
            if field["name"] in ("chart_x", "chart_y", "chart_group"):
                field["suggestions"] = names  # the table's columns, as the author named them
                field["suggestions_label"] = self.gettext("The table's columns:")
        return fields

    def chart_settings(self, data=None):
        data = data or self
        return {name: getattr(data, name) for name in (*charts.SETTINGS, "chart_log_x", "chart_log_y")}

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)

        def error(message, field, **params):
            studio.error(self, validation, message, field, **params)

        if not data.columns:
            error(_("The results table needs at least one column."), "columns")
        names = [column["name"].strip().lower() for column in data.columns]
        if any(not name for name in names):
            error(_("Every column needs a name."), "columns")
        if len(set(names)) != len(names):
            error(_("Two columns have the same name: give each its own."), "columns")
        if sum(1 for column in data.columns if column.get("role") == "changed") > 1:
            error(_("Only one column can hold what learners change."), "columns")
        if sum(1 for column in data.columns if column.get("role") == "time") > 1:
            error(_("Only one column can say when a row is measured."), "columns")
        if any(not choice.strip() for choice in data.variable_choices):
            error(_("Remove the empty variables to choose from."), "variable_choices")
        if data.show_chart and data.columns:
            problem = self.chart_problem(data)
            if problem:
                validation.add(studio.FieldMessage(ValidationMessage.ERROR, problem[1], problem[0]))
            elif charts.resolve(data.columns, self.chart_settings(data)) is None:
                validation.add(
                    ValidationMessage(
                        ValidationMessage.WARNING,
                        self.gettext(
                            "The chart needs a number column besides what learners change: it will not be drawn."
                        ),
                    )
                )

    def chart_problem(self, data):
        """The chart settings' first problem as (setting, message naming it), or None."""
        try:
            charts.resolve(data.columns, self.chart_settings(data))
        except charts.ChartError as err:
            label = self.gettext(self.fields[err.field].display_name)
            return err.field, f"{label}: {self.gettext(err.message).format(**err.params)}"
        return None

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = super().parse_xml(node, runtime, keys)
        problem = block.chart_problem(block) if block.show_chart and block.columns else None
        if problem:  # OLX a Studio editor would refuse is refused on import too
            raise olx.OlxError(f"{olx.describe(keys.block_type, node)}: {problem[1]}")
        return block

    def author_summary(self):
        columns = ", ".join(charts.column_title(column) for column in self.columns)
        required = ", ".join(self.gettext(CHECK_LABELS[check]) for check in self.required_checks)
        return super().author_summary() + [
            (self.gettext("Results table columns"), columns),
            (self.gettext("Chart"), self.chart_summary()),
            (self.gettext("Required fair-test checks"), required or self.gettext("None (advice only)")),
        ]

    def chart_summary(self):
        if not self.show_chart:
            return self.gettext("No")
        try:
            plan = charts.resolve(self.columns, self.chart_settings())
        except charts.ChartError:
            plan = None
        if plan is None:
            return self.gettext("No")
        return self.gettext("{kind}: {y} by {x}").format(
            kind=self.gettext(charts.KINDS[plan["kind"]]).split(":")[0],
            y=charts.column_title(plan["y"]),
            x=charts.column_title(plan["x"]),
        )

    column_title = staticmethod(charts.column_title)

    def student_view_data(self, context=None):
        try:
            plan = charts.resolve(self.columns, self.chart_settings()) if self.show_chart else None
        except charts.ChartError:
            plan = None
        chart = (
            {
                "kind": plan["kind"],
                "x": plan["x"]["key"],
                "y": plan["y"]["key"],
                "group": plan["group"]["key"] if plan["group"] else None,
                "statistic": plan["statistic"],
                "summary_mark": plan["mark"],
                "scale": {"x": "log" if plan["log_x"] else "linear", "y": "log" if plan["log_y"] else "linear"},
            }
            if plan
            else None
        )
        return dict(
            super().student_view_data(context),
            columns=[{"role": "", **column} for column in self.columns],
            variable_choices=self.variable_choices,
            max_rows=self.max_rows,
            show_chart=self.show_chart,
            chart=chart,
            required_checks=self.required_checks,
        )

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        cells = {}
        for column in self.columns:
            title = charts.column_title(column)
            cells[column["key"]] = (
                spec.Number(title) if column["type"] == "number" else spec.Text(title, MAX_CELL_TEXT, single_line=True)
            )
        return {
            "tested_hypothesis": spec.Text(_("The hypothesis I test"), 40, single_line=True),
            "changed_variable": spec.Text(_("The one thing I change"), MAX_SHORT, single_line=True),
            "changed_values": spec.ListOf(
                _("The values I compare"), spec.Text(None, MAX_ITEM, single_line=True), MAX_VALUES
            ),
            "measured_variables": spec.ListOf(
                _("What I measure or observe"), spec.Text(None, MAX_SHORT, single_line=True), MAX_MEASURED
            ),
            "controlled_variables": spec.ListOf(
                _("What I keep the same"), spec.Text(None, MAX_ITEM, single_line=True), MAX_CONTROLLED
            ),
            "materials": spec.ListOf(_("Materials"), spec.Text(None, MAX_ITEM, single_line=True), MAX_MATERIALS),
            "protocol": spec.ListOf(_("Protocol steps"), spec.Text(None, MAX_STEP), MAX_STEPS),
            "prediction": spec.Text(_("My prediction"), MAX_LONG),
            "rows": spec.ListOf(
                _("Results table"), spec.Record(_("Row"), cells), self.max_rows, position=_("{field}, row {number}")
            ),
            "observations": spec.Text(_("My observations"), MAX_LONG),
        }

    def clean_work(self, data):
        if isinstance(data, dict):
            # Clients from before investigations send no hypothesis; from before structured
            # plans, one "measured_variable" text and no values.
            data = {"tested_hypothesis": "", "changed_values": [], **data}
            if "measured_variable" in data and "measured_variables" not in data:
                legacy = data.pop("measured_variable")
                data["measured_variables"] = [legacy] if legacy not in ("", None) else []
        work = super().clean_work(data)
        hypotheses = self.hypotheses_under_test()
        ids = [item["id"] for item in hypotheses]
        if work["tested_hypothesis"] and work["tested_hypothesis"] not in ids:
            raise spec.InputError(_("The hypothesis you test must be one of your submitted hypotheses."))
        if len(ids) == 1:
            work["tested_hypothesis"] = ids[0]
        return work

    def current_work(self):
        work = super().current_work()
        work["measured_variables"] = measured_of(
            {"measured_variables": self.measured_variables, "measured_variable": self.measured_variable}
        )
        return work

    def store_work(self, work, submitting):
        super().store_work(work, submitting)
        self.measured_variable = ""  # now in measured_variables
        stamp = now_iso()
        if not has_prediction(work, self.columns):
            self.prediction_on = None
        elif not self.prediction_on:
            self.prediction_on = stamp
        if has_results(work["rows"], self.columns):
            self.data_on = self.data_on or stamp
        else:
            self.data_on = None

    def checks(self, work=None):
        """The fair-test checks, translated, with whether the author requires each."""
        results = fair_test_checks(work or self.current_work(), self.columns, self.prediction_on, self.data_on)
        gettext, required = self.translator.gettext, self.required_checks
        return [
            {
                "id": check_id,
                "label": gettext(CHECK_LABELS[check_id]),
                "passed": passed,
                "message": gettext(message).format(**values),
                "required": check_id in required,
            }
            for check_id, passed, message, values in results
        ]

    CHECK_FIELDS = {
        "one_variable": "changed_variable",
        "values": "changed_values",
        "controlled": "controlled_variables",
        "prediction_first": "prediction",
    }

    def missing_parts(self, work):
        missing = []
        if len(self.hypotheses_under_test()) > 1 and not work["tested_hypothesis"]:
            missing.append(("tested_hypothesis", self.gettext("Choose the hypothesis your experiment tests.")))
        if not work["changed_variable"]:
            missing.append(("changed_variable", self.gettext("Say what you change.")))
        if not work["measured_variables"]:
            missing.append(("measured_variables", self.gettext("Say what you measure or observe.")))
        if not has_prediction(work, self.columns):
            missing.append(("prediction", self.gettext("Write your prediction.")))
        if not has_results(work["rows"], self.columns):
            missing.append(("rows", self.gettext("Record at least one result in the table.")))
        # The timing check needs this save's stamps: a first prediction saved now counts as now.
        prediction_on = self.prediction_on or (now_iso() if has_prediction(work, self.columns) else None)
        data_on = self.data_on or (now_iso() if has_results(work["rows"], self.columns) else None)
        for check_id, passed, message, values in fair_test_checks(work, self.columns, prediction_on, data_on):
            if check_id in self.required_checks and not passed:
                field = self.CHECK_FIELDS[check_id]
                if not any(problem[0] == field for problem in missing):
                    missing.append((field, self.gettext(message).format(**values)))
                if check_id == "prediction_first" and has_prediction(work, self.columns):
                    missing.append(
                        (
                            "rows",
                            self.gettext(
                                "To submit, keep your prediction, empty the results table and record your trials again."
                            ),
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
        chart = dict(self.chart_settings(), off=not self.show_chart)
        pool = {"on": self.pool_after_submit, "minimum": self.pool_minimum}
        return dict(work, columns=self.columns, chart=chart, tested=tested, pool=pool)

    def earlier_parts(self, record):
        from .hypothesis import HypothesisBlock

        return HypothesisBlock.summary(record.work, self.gettext)

    @classmethod
    def summary(cls, work, gettext, ngettext=None):
        columns = work.get("columns") or []
        tested = work.get("tested") or {}
        rows = work.get("rows") or []
        values = [item for item in work.get("changed_values") or [] if item]
        changed = work.get("changed_variable", "")
        chart = chart_of(work, gettext, ngettext) if columns and rows else None
        return [
            {
                "label": gettext("The hypothesis I test"),
                "text": f"{tested.get('idea', '')} {tested.get('prediction', '')}".strip(),
            },
            {
                "label": gettext("The one thing I change"),
                "text": f"{changed} ({', '.join(values)})" if changed and values else changed,
            },
            {"label": gettext("What I measure or observe"), "list": measured_of(work)},
            {
                "label": gettext("What I keep the same"),
                "list": [item for item in work.get("controlled_variables", []) if item],
            },
            {"label": gettext("Materials"), "list": [item for item in work.get("materials", []) if item]},
            {
                "label": gettext("Protocol steps"),
                "list": [item for item in work.get("protocol", []) if item],
                "ordered": True,
            },
            {"label": gettext("My prediction"), "text": work.get("prediction", "")},
            {
                "label": gettext("Results table"),
                "table": results_table(columns, rows, gettext) if columns and rows else None,
            },
            {
                "label": gettext("Chart of the results"),
                "chart": chart if chart and not chart.get("empty") else None,
                "svg": chart_svg(chart, rows),
            },
            {"label": gettext("My observations"), "text": work.get("observations", "")},
        ]

    def learner_state(self):
        state = super().learner_state()
        # Advice starts once there is a plan to look at, not on an empty page.
        if self.saved_on:
            state["feedback"] = {"checks": self.checks({name: state[name] for name in self.WORK_FIELDS})}
        return state

    def feedback_fields(self):
        # The reply to a submission: the plan's advice, not the whole table and chart again.
        work = {name: getattr(self, name) for name in self.WORK_FIELDS}
        return {"advice": [self.gettext(message).format(**values) for message, values in plan_advice(work)]}

    def feedback_context(self, fields=None):
        context = super().feedback_context(fields)
        context["checks"] = context["state"]["feedback"].get("checks", [])  # computed once, in the state
        context["class_results"] = self.class_results() if self.pool_after_submit and self.submitted_on else None
        return context

    def class_results(self):
        """The other learners' latest results on one chart, once there are enough of them to stay anonymous."""
        if not (self.investigation and self.uses_store()):
            return None
        pool = dashboard.pooled(self.course_key, self.investigation, exclude=self.learner)
        if not pool or pool["learners"] < self.pool_minimum or not pool["rows"]:
            return {"waiting": True, "minimum": self.pool_minimum}
        chart = dashboard.pooled_chart(pool, self.translator, current_language())
        if chart.get("empty"):
            return None
        return {"svg": chart_svg(chart, pool["rows"]), "learners": pool["learners"]}

    def chart_description(self, rows):
        """The chart of ``rows`` (saved, or as typed) with this block's columns and settings."""
        if not self.show_chart:
            return None
        work = {
            "rows": rows,
            "columns": self.columns,
            "chart": self.chart_settings(),
            "changed_values": self.changed_values,
        }
        translator = self.translator  # once: the property looks up the language each time
        return chart_of(work, translator.gettext, translator.ngettext)

    @json_api(author=True)
    def chart_preview(self, data):
        """
        The author's chart on made-up results, from the editor's unsaved values:
        ``{"columns": [...], "settings": {"chart_kind": ..., ...}}``. Saves nothing.
        """
        specs = self.author_specs()
        names = (*charts.SETTINGS, "chart_log_x", "chart_log_y", "show_chart")
        request = spec.clean_request(
            {
                "columns": specs["columns"],
                "settings": spec.Record(_("Chart"), {name: specs[name] for name in names}),
            },
            data,
        )
        settings = request["settings"]
        if not settings.pop("show_chart"):
            return {"chart": {"empty": self.gettext("No chart: “Show a chart” is unchecked.")}}
        try:
            charts.resolve(request["columns"], settings)
        except charts.ChartError as err:
            label = self.gettext(self.fields[err.field].display_name)
            return {"chart": {"empty": f"{label}: {self.gettext(err.message).format(**err.params)}"}}
        rows = charts.sample_rows(request["columns"])
        work = {"rows": rows, "columns": request["columns"], "chart": settings, "changed_values": []}
        return {"chart": chart_of(work, self.translator.gettext, self.translator.ngettext)}

    @json_api
    def chart_data(self, data):
        """
        The chart of the table as the learner is typing it (not saved): ``{"rows": [...]}``
        with cells as typed. Cells that are not numbers yet are left out of the chart.
        """
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list) or len(data) != 1:
            raise spec.InputError(_('The request must be a JSON object with "rows".'))
        keys = {column["key"] for column in self.columns}
        rows = data["rows"][: self.max_rows]
        if not all(isinstance(row, dict) and set(row) <= keys for row in rows):
            raise spec.InputError(_("Each row must be a JSON object of the table's columns."))
        rows = [
            {key: str(value)[:MAX_CELL_TEXT] if value is not None else None for key, value in row.items()}
            for row in rows
        ]
        return {"chart": self.chart_description(rows)}

    def student_context(self):
        # "{number}" is left for the row number (rendered per row, and by the page's script).
        gettext = self.translator.gettext  # once: the property looks up the language each time
        stored_columns, stored_rows = self.columns, self.rows  # each field read costs a lookup
        cell_label = gettext("{column}, row {number}")
        columns = [
            dict(
                column,
                title=charts.column_title(column),
                cell_label=cell_label.replace("{column}", charts.column_title(column)),
            )
            for column in stored_columns
        ]
        rows = stored_rows or [{}]
        hypotheses = self.hypotheses_under_test()
        work = self.current_work()
        chart = self.chart_description(stored_rows) if stored_rows else None
        variable_choices, show_chart = self.variable_choices, self.show_chart
        series = charts.time_column(columns) is not None
        row_options = {
            "uid": self.html_id,
            "columns": columns,
            "max_cell_text": MAX_CELL_TEXT,
            "labels": {
                # A time series numbers its rows: each is a reading of a condition, not a trial.
                "trial": gettext("Row {number}") if series else gettext("Trial {number}"),
                "repeat": gettext("Repeat the trial of row {number}"),
                "remove": gettext("Remove row {number}"),
                "repeat_text": self.translator.pgettext("button", "Repeat"),
                "remove_text": self.translator.pgettext("button", "Remove"),
            },
        }
        keys = [column["key"] for column in columns]
        row_parts = markup.result_row_parts(row_options)
        rows_html = "".join(
            markup.result_row(row_parts, index, index + 1, [row.get(key) for key in keys], label)
            for index, (row, trial) in enumerate(zip(rows, trial_numbers(rows, stored_columns), strict=True))
            for label in [index + 1 if series else trial]
        )
        return {
            "time_series": series,
            "tested_choices": [
                {"id": item["id"], "label": item.get("idea", ""), "checked": item["id"] == self.tested_hypothesis}
                for item in hypotheses
            ]
            if len(hypotheses) > 1
            else [],
            "columns": columns,
            "columns_json": json.dumps(columns),
            "rows_html": mark_safe(rows_html),  # noqa: S308  # markup escapes every value
            "row_template_html": mark_safe(markup.result_row(row_parts, "__INDEX__", "", [None] * len(keys), 1)),
            "measured": work["measured_variables"] or [""],
            "variable_choices": variable_choices,
            "variables_list": f"{self.html_id}-variables" if variable_choices else "",
            "max_rows": self.max_rows,
            "show_chart": show_chart,
            "chart_svg": charts.render_svg(chart, f"{self.html_id}-live") if chart else "",
            "chart_empty": (chart or {}).get("empty") or gettext("The chart appears when the table has results."),
            "advice": [gettext(message).format(**values) for message, values in plan_advice(work)],
            "sections": plan_sections(work, self.ngettext),
            "max_short": MAX_SHORT,
            "max_item": MAX_ITEM,
            "max_step": MAX_STEP,
            "max_long": MAX_LONG,
            "max_cell_text": MAX_CELL_TEXT,
            "limits": {
                "controlled": MAX_CONTROLLED,
                "materials": MAX_MATERIALS,
                "protocol": MAX_STEPS,
                "values": MAX_VALUES,
                "measured": MAX_MEASURED,
            },
        }
