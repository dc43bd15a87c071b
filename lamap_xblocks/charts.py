"""
Charts of an experiment's results, as a science teacher would draw them.

One description drives every rendering: ``describe`` turns the results table and the
author's chart settings into a plain structure (what is plotted, in words and numbers,
plus the SVG elements laid out in a fixed view box). ``render_svg`` writes it as markup
for the notebook, downloads and the staff view; the page's script draws the same
elements (``drawChart`` in experiment.js) from the description the server sends.

The rules are the science ones: each axis is one quantity with its unit, lines only
join points of one series along an ordered number axis, never across categories;
markers keep a minimum size at any scale, colours come from a colour-blind-safe
palette and each series also has its own shape.
"""

import html
import math
import re

from . import validation as spec
from .validation import _  # marks messages for extraction; blocks translate them

KINDS = {
    "scatter": _("Scatter: one number against another"),
    "summary": _("Summary by condition: each trial and the median or mean"),
    "line": _("Line: a quantity along an ordered number (days, minutes)"),
}
STATISTICS = {"median": _("Median"), "mean": _("Mean")}
SUMMARY_MARKS = {"tick": _("Tick"), "bar": _("Bar")}
# Okabe & Ito's palette, told apart with the common colour-vision deficiencies
# (yellow left out: too pale on white); shapes tell series apart without colour.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")
WIDTH = 360  # view-box units
FONT = 16  # 16 units in 360: at least 12 CSS px once 270 px wide (the notebook on a 375 px phone)
CHAR = 0.56 * FONT  # the average width of a character, to fit labels
RADIUS = 5.5  # the minimum marker size: a paperclip next to a brick stays visible
PLOT_HEIGHT = 220
MAX_LABEL = 40
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
SETTINGS = ("chart_kind", "chart_x", "chart_y", "chart_group", "chart_statistic", "chart_summary_mark")


class ChartError(ValueError):
    """Chart settings that cannot be drawn; ``field`` names the setting."""

    def __init__(self, field, message, **params):
        super().__init__(message)
        self.field = field
        self.message = message
        self.params = params


def in_sentence(name):
    """ "Volume" inside a sentence is "volume"; "pH" and "CO2" stay as written."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def column_title(column):
    return f"{column['name']} ({column['unit']})" if column.get("unit") else column["name"]


def find_column(reference, columns):
    """The column an author names by key, name or title (any case), or None."""
    wanted = (reference or "").strip().lower()
    for column in columns:
        if wanted in (column["key"], column["name"].strip().lower(), column_title(column).lower()):
            return column
    return None


def roles(columns):
    """The changed variable's column, the measured columns and the prediction columns."""
    changed = next((c for c in columns if c.get("role") == "changed"), columns[0] if columns else None)
    predictions = [c for c in columns if c.get("role") == "prediction"]
    measured = [c for c in columns if c is not changed and c.get("role") != "prediction"]
    return changed, measured, predictions


def time_column(columns):
    """
    The column saying when a row was measured (role "time": the day, the minute), or None.
    With one, the rows of a condition are readings of it over time, not repeated trials.
    """
    return next((c for c in columns if c.get("role") == "time"), None)


def resolve(columns, settings):
    """
    The chart to draw: kind, x, y and group columns, statistic, mark and scales, the
    author's settings completed from the table. Raises ChartError naming the setting
    that cannot be drawn; returns None when the table has nothing to chart.
    """
    if not columns:
        return None
    changed, measured, _predictions = roles(columns)
    numbers = [c for c in measured if c["type"] == "number"]
    texts = [c for c in measured if c["type"] == "text"]
    chosen = {}
    for axis in ("x", "y", "group"):
        reference = settings.get(f"chart_{axis}") or ""
        if reference:
            chosen[axis] = find_column(reference, columns)
            if chosen[axis] is None:
                message = _("There is no column “{name}” in the results table.")
                raise ChartError(f"chart_{axis}", message, name=reference)
    kind = settings.get("chart_kind") or ("summary" if numbers or chosen.get("y") else "")
    if not kind:
        return None
    x, y, group = chosen.get("x"), chosen.get("y"), chosen.get("group")
    if kind == "summary":
        x = x or changed
        y = y or next((c for c in numbers if c is not x), None)
    else:
        if x is None:
            x = changed if changed["type"] == "number" and changed is not y else None
            x = x or next((c for c in numbers if c is not y), None)
        y = y or next((c for c in numbers if c is not x), None)
        if kind == "scatter" and group is None and not settings.get("chart_x"):
            group = next((c for c in texts if c not in (x, y)), None)
    if y is None:
        raise ChartError("chart_y", _("The chart needs a number column to plot."))
    if x is None:
        raise ChartError("chart_x", _("This chart needs a number column for its horizontal axis."))
    if x is y:
        raise ChartError("chart_y", _("The horizontal and vertical axes need two different columns."))
    if y["type"] != "number":
        raise ChartError("chart_y", _("“{name}” is a text column: the vertical axis needs numbers."), name=y["name"])
    if kind != "summary" and x["type"] != "number":
        raise ChartError(
            "chart_x",
            _(
                "“{name}” is a text column: this chart needs numbers on its horizontal axis "
                "(use a summary by condition)."
            ),
            name=x["name"],
        )
    if group is not None and group in (x, y):
        raise ChartError("chart_group", _("Colour the points by a third column, not by an axis."))
    log_x, log_y = bool(settings.get("chart_log_x")), bool(settings.get("chart_log_y"))
    if log_x and kind == "summary":
        raise ChartError("chart_log_x", _("A summary by condition shows conditions across: it has no log scale."))
    return {
        "kind": kind,
        "x": x,
        "y": y,
        "group": group,
        "statistic": settings.get("chart_statistic") or "median",
        "mark": settings.get("chart_summary_mark") or "tick",
        "log_x": log_x,
        "log_y": log_y,
    }


def number(value):
    """A cell as a float (saved numbers, or text typed in the page), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not NUMBER.match(text):
        return None
    result = float(text.replace(",", "."))
    return result if math.isfinite(result) else None


def text_of(value):
    return "" if value is None else str(value).strip()


def same_as_before(spelled, value):
    """
    A category as first written: "Floats" and "floats " are one category, and "10" and
    "10,0" one condition, shown as the learner first wrote them (``spelled`` remembers).
    """
    text = text_of(value)
    if not text:
        return ""
    as_number = number(text)
    key = as_number if as_number is not None else " ".join(text.casefold().split())
    return spelled.setdefault(key, text)


class Formatter:
    """Numbers in the reader's language: 0,06 in French, 0.06 in English."""

    def __init__(self, language):
        # The CLDR's decimal symbol (through Babel, as dates): "," in French and Brazilian
        # Portuguese, "." in English, Latin American Spanish and Arabic (Latin digits).
        from babel.numbers import get_decimal_symbol  # noqa: PLC0415

        from .dates import babel_locale  # noqa: PLC0415

        self.point = get_decimal_symbol(babel_locale(language or "en"))

    def value(self, value):
        text = f"{value:.6g}"
        if "e" in text:
            text = f"{value:f}".rstrip("0").rstrip(".")
        return text.replace(".", self.point) if self.point != "." else text

    def tick(self, value, decimals):
        if decimals is None:  # log scales: each tick as written, 0.01 beside 1000
            return self.value(value)
        text = f"{value:.{decimals}f}"
        return text.replace(".", self.point) if self.point != "." else text


def nice_ticks(low, high):
    """Round tick values covering [low, high], and the decimals they need."""
    if high <= low:
        low, high = (low - 1, high + 1) if low == 0 else (low - abs(low) * 0.5, high + abs(high) * 0.5)
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if step / power == 2.5 else 0)
    return [round(index * step, 10) for index in range(first, last + 1)], decimals


def log_ticks(low, high):
    """Powers of ten covering [low, high] (both > 0), with 2 and 5 between when few; no fixed decimals."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    if last == first:
        last += 1
    ticks = [10.0**power for power in range(first, last + 1)]
    if last - first <= 2:
        ticks = sorted({t * m for t in ticks for m in (1, 2, 5) if t * m <= 10.0**last})
    return ticks, None


class Scale:
    """Maps a quantity to the view box, linearly or on a log scale."""

    def __init__(self, values, start, end, log=False, zero=False):
        self.log = log
        if log:
            ticks, self.decimals = log_ticks(min(values), max(values))
            self.low, self.high = math.log10(ticks[0]), math.log10(ticks[-1])
        else:
            low, high = min(values), max(values)
            if zero:  # bars and quantities measured from nothing start at zero
                low, high = min(low, 0.0), max(high, 0.0)
            ticks, self.decimals = nice_ticks(low, high)
            self.low, self.high = ticks[0], ticks[-1]
        self.ticks = ticks
        self.start, self.end = start, end
        self.factor = (end - start) / (self.high - self.low)

    def __call__(self, value):
        return round(self.start + ((math.log10(value) if self.log else value) - self.low) * self.factor, 1)


def statistic(values, kind):
    if kind == "mean":
        return sum(values) / len(values)
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


MARK = {"class": "lamap-mark", "stroke": "#fff", "stroke-width": 1}
GRID = {"class": "lamap-grid", "stroke": "#dde2e7"}
AXIS = {"class": "lamap-axis", "stroke": "#1f2933"}
SUMMARY_TICK = {"stroke": "#1f2933", "stroke-width": 3, "class": "lamap-summary"}
TICK_OVER_DOTS = 6  # trials in one condition beyond which the dots would hide the median's tick


def marker(shape, x, y, colour, label):
    """One marker's SVG element: [tag, attributes, title]; a white rim keeps overlapping marks apart."""
    element = shape_of(shape, x, y, colour, label)
    element[1].update(MARK)
    return element


def shape_of(shape, x, y, colour, label):
    r = RADIUS
    if shape == "circle":
        return ["circle", {"cx": x, "cy": y, "r": r, "fill": colour}, label]
    if shape == "square":
        s = round(r * 0.9, 1)
        return [
            "rect",
            {"x": round(x - s, 1), "y": round(y - s, 1), "width": 2 * s, "height": 2 * s, "fill": colour},
            label,
        ]
    if shape == "cross":
        d = (
            f"M{x - r:.1f} {y - 2:.1f}h{2 * r:.1f}v4h{-2 * r:.1f}z"
            f"M{x - 2:.1f} {y - r:.1f}h4v{2 * r:.1f}h-4z"  # two bars: a plus sign
        )
        return ["path", {"d": d, "fill": colour}, label]
    if shape == "diamond":
        points = ((x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y))
    elif shape == "triangle":
        points = ((x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r))
    else:
        points = ((x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r))
    return ["polygon", {"points": " ".join(f"{px:.1f},{py:.1f}" for px, py in points), "fill": colour}, label]


def legend_symbol(entry, x, y):
    if entry["shape"] == "tick":
        return ["line", {"x1": x - 8, "x2": x + 8, "y1": y, "y2": y, "stroke": entry["colour"], "stroke-width": 3}]
    if entry["shape"] == "bar":
        return ["rect", {"x": x - 7, "y": y - 7, "width": 14, "height": 14, "fill": entry["colour"], "opacity": 0.35}]
    return shape_of(entry["shape"], x, y, entry["colour"], None)[:2]


def fit(label, width):
    """A label shortened to ``width`` view-box units (the full text is in the table and description)."""
    room = max(3, int(width / CHAR))
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def wrap(text, width, lines):
    """``text`` in at most ``lines`` lines of ``width`` view-box units (the last one shortened)."""
    room, result, current = max(3, int(width / CHAR)), [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > room:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    result.append(current)
    if len(result) > lines:
        result = result[: lines - 1] + [" ".join(result[lines - 1 :])]
    return [fit(line, width) for line in result]


def layout_legend(entries, top):
    """Legend entries flowed in rows above the plot; returns the elements and the height used."""
    elements, x, y = [], 12.0, top + 10
    for entry in entries:
        label = fit(entry["label"], WIDTH - 48)
        if entry.get("shape") is None:  # the legend's heading, on its own line: what colours and shapes mean
            heading = fit(entry["label"], WIDTH - 16)
            elements.append(["text", {"x": 8, "y": y + 5, "class": "lamap-legend-title", "font-weight": 600}, heading])
            x, y = 12.0, y + 22
            continue
        width = 26 + len(label) * CHAR + 14
        if x > 12 and x + width > WIDTH:
            x, y = 12.0, y + 22
        elements.append(legend_symbol(entry, x + 8, y))
        elements.append(["text", {"x": round(x + 22, 1), "y": y + 5, "class": "lamap-legend"}, label])
        x += width
    return elements, (y - top + 16) if entries else 0


class Chart:
    """Builds one description; the steps read like a teacher drawing the chart by hand."""

    def __init__(self, columns, rows, plan, *, translate, trials, language, order, sources=None):
        self.plan, self.format = plan, Formatter(language)
        self.gettext, self.ngettext = translate
        self.columns, self.rows, self.order = columns, rows, order or []
        self.trials = trials or [1] * len(rows)
        # Pooled class data: whose each row is ("learner 1a2b3c4d"), said in each mark's name.
        self.sources = {id(row): source for row, source in zip(rows, sources, strict=True)} if sources else {}
        changed, _measured, _predictions = roles(columns)
        self.changed = changed
        self.series = time_column(columns) is not None  # rows are readings over time: the time says which
        self.trial_text = self.gettext("trial {number}")  # once: a chart may have a hundred marks
        self.notes = []
        self.elements = []

    def quantity(self, column):
        return column_title(column)

    def point_label(self, row, trial, parts):
        """ "clay ball, trial 2: volume 25 cm³, mass 41 g" (a marker's tooltip and accessible name)."""
        condition = text_of(row.get(self.changed["key"])) if self.changed else ""
        trial_text = "" if self.series and trial == 1 else self.trial_text.format(number=trial)
        named = self.condition_label(condition, number(condition), self.changed) if condition else ""
        head = ", ".join(part for part in (named, trial_text) if part)
        values = ", ".join(
            f"{in_sentence(column['name'])} {self.format.value(value)}"
            f"{(' ' + column['unit']) if column.get('unit') else ''}"
            for column, value in parts
        )
        source = self.sources.get(id(row))
        head = f"{source}: {head}" if source and head else source or head
        return f"{head}: {values}" if head else values

    def points(self):
        """(row, trial, x, y, group) for rows with both values; values a log axis cannot show are counted."""
        plan = self.plan
        x_key, y_key = plan["x"]["key"], plan["y"]["key"]
        numeric_x = plan["kind"] != "summary"
        group_key = plan["group"]["key"] if plan["group"] else None
        result, hidden, spelled = [], 0, {}
        for row, trial in zip(self.rows, self.trials, strict=False):
            y = number(row.get(y_key))
            x = number(row.get(x_key)) if numeric_x else same_as_before(spelled, row.get(x_key))
            if y is None or x is None or x == "":
                continue
            if (plan["log_y"] and y <= 0) or (plan["log_x"] and x <= 0):
                hidden += 1
                continue
            group = same_as_before(spelled, row.get(group_key)) if group_key else ""
            result.append((row, trial, x, y, group))
        if hidden:
            self.notes.append(
                self.ngettext(
                    "{count} value of 0 or less cannot be shown on a log scale.",
                    "{count} values of 0 or less cannot be shown on a log scale.",
                    hidden,
                ).format(count=hidden)
            )
        return result

    def groups(self, points):
        """
        The series: one per value of the group column, in alphabetical order (blank last),
        so that "floats" has the same colour and shape in every learner's chart.
        """
        names = sorted({point[4] for point in points}, key=lambda name: (not name, name.casefold()))
        return {name: index for index, name in enumerate(names)}

    def frame(self, legend):
        """The title (what the chart shows, in words) and the legend above the plot box."""
        y = 0
        for line in wrap(self.title(), WIDTH - 16, 3):
            y += 20
            self.elements.append(["text", {"x": 8, "y": y, "class": "lamap-chart-title", "font-weight": 600}, line])
        legend_elements, legend_height = layout_legend(legend, y + 8 if y else 0)
        self.elements.extend(legend_elements)
        top = y + 8 + legend_height + 14
        return top, top + PLOT_HEIGHT

    def axes(self, box, x_scale, y_scale, x_labels=None):
        """Grid and axes (two paths), tick labels, and the axis titles with their units."""
        (top, bottom, left), plan, right = box, self.plan, WIDTH - 14
        grid, axis, labels = [], [f"M{left} {top}V{bottom}H{right}"], []
        for tick in y_scale.ticks:
            y = y_scale(tick)
            grid.append(f"M{left} {y}H{right}")
            labels.append(
                [
                    "text",
                    {"x": left - 6, "y": round(y + 5, 1), "text-anchor": "end"},
                    self.format.tick(tick, y_scale.decimals),
                ]
            )
        if x_labels is None:
            x_labels = [(x_scale(tick), self.format.tick(tick, x_scale.decimals)) for tick in x_scale.ticks]
            grid.extend(f"M{x} {top}V{bottom}" for x, _label in x_labels)
        else:
            axis.extend(f"M{x} {bottom}v5" for x, _label in x_labels)
        labels.extend(
            ["text", {"x": x, "y": bottom + 19, "text-anchor": "middle"}, label] for x, label in x_labels if label
        )
        elements = [
            ["path", {"d": "".join(grid), "fill": "none", **GRID}],
            ["path", {"d": "".join(axis), "fill": "none", **AXIS}],
        ]
        elements.extend(labels)
        x_title = self.quantity(plan["x"]) + (self.gettext(" (log scale)") if plan["log_x"] else "")
        y_title = self.quantity(plan["y"]) + (self.gettext(" (log scale)") if plan["log_y"] else "")
        middle = round((top + bottom) / 2, 1)
        elements.append(
            [
                "text",
                {
                    "x": round((left + right) / 2, 1),
                    "y": bottom + 42,
                    "text-anchor": "middle",
                    "class": "lamap-axis-title",
                    "font-weight": 600,
                },
                fit(x_title, right - left),
            ]
        )
        elements.append(
            [
                "text",
                {
                    "x": 16,
                    "y": middle,
                    "text-anchor": "middle",
                    "class": "lamap-axis-title",
                    "font-weight": 600,
                    "transform": f"rotate(-90 16 {middle})",
                },
                fit(y_title, bottom - top),
            ]
        )
        self.elements.extend(elements)
        return bottom + 54

    def left_margin(self, y_scale):
        longest = max(len(self.format.tick(tick, y_scale.decimals)) for tick in y_scale.ticks)
        return round(30 + longest * CHAR + 4, 1)

    # ----- the three kinds ---------------------------------------------------------------

    def numeric(self):
        """Scatter and line: numbers on both axes, one series per group value."""
        plan = self.plan
        points = self.points()
        if not points:
            return None
        groups = self.groups(points)
        legend = (
            [{"label": plan["group"]["name"], "shape": None}]
            + [
                {"label": name or self.gettext("(blank)"), "colour": PALETTE[i % 7], "shape": SHAPES[i % 6]}
                for name, i in groups.items()
            ]
            if plan["group"]
            else []
        )
        top, bottom = self.frame(legend)
        y_scale = Scale([p[3] for p in points], bottom, top, plan["log_y"], zero=plan["kind"] == "scatter")
        left = self.left_margin(y_scale)
        x_scale = Scale([p[2] for p in points], left + 10, WIDTH - 24, plan["log_x"], zero=plan["kind"] == "scatter")
        height = self.axes((top, bottom, left), x_scale, y_scale)
        series = []
        for name, index in groups.items():
            own = [p for p in points if p[4] == name]
            colour, shape = PALETTE[index % 7], SHAPES[index % 6]
            if plan["kind"] == "line":
                by_x = {}
                for point in own:
                    by_x.setdefault(point[2], []).append(point[3])
                line = sorted((x, statistic(values, plan["statistic"])) for x, values in by_x.items())
                if len(line) > 1:
                    self.elements.append(
                        [
                            "polyline",
                            {
                                "points": " ".join(f"{x_scale(x)},{y_scale(y)}" for x, y in line),
                                "fill": "none",
                                "stroke": colour,
                                "stroke-width": 2,
                                "class": "lamap-line",
                                "data-series": index,
                            },
                        ]
                    )
            for row, trial, x, y, _group in own:
                label = self.point_label(row, trial, ((plan["x"], x), (plan["y"], y)))
                element = marker(shape, x_scale(x), y_scale(y), colour, label)
                element[1]["data-series"] = index
                self.elements.append(element)
            series.append({"name": name, "count": len(own)})
        return height, series, len(points)

    def summary(self):
        """Each condition across; each trial a dot, its median (or mean) a tick or bar."""
        plan = self.plan
        points = self.points()
        if not points:
            return None
        conditions = {}
        for point in points:
            conditions.setdefault(point[2], []).append(point)
        numeric = {name: number(name) for name in conditions}
        names = self.condition_order(list(conditions), numeric)
        stat_label = self.gettext(STATISTICS[plan["statistic"]])
        stat_word = stat_label.lower()
        bar = plan["mark"] == "bar" and not plan["log_y"]
        legend = [
            {"label": self.gettext("Each trial"), "colour": PALETTE[0], "shape": "circle"},
            {"label": stat_label, "colour": "#1f2933" if not bar else PALETTE[5], "shape": "bar" if bar else "tick"},
        ]
        top, bottom = self.frame(legend)
        y_scale = Scale([p[3] for p in points], bottom, top, plan["log_y"], zero=not plan["log_y"])
        left = self.left_margin(y_scale)
        band = (WIDTH - 14 - left) / len(names)
        centres = [round(left + band * (index + 0.5), 1) for index in range(len(names))]
        heads = {name: self.condition_label(name, numeric[name], plan["x"]) for name in names}
        labels = [(centre, fit(heads[name], band - 4)) for centre, name in zip(centres, names, strict=True)]
        if all(numeric[name] is not None for name in names):
            # Numbers too many to write side by side: every k-th one, whole, like an axis's ticks.
            widest = max(len(heads[name]) for name in names) * CHAR + 6
            step = max(1, math.ceil(widest / band))
            labels = [
                (centre, heads[name] if index % step == 0 else "")
                for index, (centre, name) in enumerate(zip(centres, names, strict=True))
            ]
        height = self.axes((top, bottom, left), None, y_scale, x_labels=labels)
        y_name, y_unit = in_sentence(plan["y"]["name"]), f" {plan['y']['unit']}" if plan["y"].get("unit") else ""
        summaries, append, value_text = [], self.elements.append, self.format.value
        half = round(min(band * 0.32, 40), 1)
        trial_text, mark_fill = self.trial_text, PALETTE[0]
        for centre, name in zip(centres, names, strict=True):
            own = conditions[name]
            head = heads[name]
            value = statistic([p[3] for p in own], plan["statistic"])
            y = y_scale(value)
            summary_name = f"{head}: {stat_word} {value_text(value)}{y_unit}"
            if bar:
                base = y_scale(0)
                box = {"x": round(centre - half, 1), "y": min(y, base), "width": 2 * half}
                box.update(height=round(abs(base - y), 1), fill=PALETTE[5], opacity=0.35)
                append(["rect", dict(box, **{"class": "lamap-summary"}), summary_name])
            tick = {"x1": round(centre - half, 1), "x2": round(centre + half, 1), "y1": y, "y2": y}
            count = len(own)
            over = not bar and count > TICK_OVER_DOTS
            if not bar and not over:  # under the dots, so that the trial at the median stays visible
                append(["line", dict(tick, **SUMMARY_TICK), summary_name])
            # Repeats spread across the band so that equal results stay countable.
            spread = min(11.0, (2 * half) / count)
            for index, (row, trial, _x, value_y, _group) in enumerate(own):
                x = round(centre + (index - (count - 1) / 2) * spread, 1) if count > 1 else centre
                label = f"{head}, {trial_text.format(number=trial)}: {y_name} {value_text(value_y)}{y_unit}"
                if self.sources:
                    label = f"{self.sources[id(row)]}: {label}"
                append(["circle", {"cx": x, "cy": y_scale(value_y), "r": RADIUS, "fill": mark_fill, **MARK}, label])
            if over:  # a class's many dots would hide it: on top, on a white halo
                append(["line", dict(tick, stroke="#fff", **{"stroke-width": 7, "class": "lamap-summary-halo"})])
                append(["line", dict(tick, **SUMMARY_TICK), summary_name])
            summaries.append({"condition": name, "value": value, "trials": count})
        return height, summaries, len(points)

    def condition_label(self, name, value, column):
        """A condition as a reader says it: "10 °C" for a number with its column's unit, else as written."""
        unit = column.get("unit") if column else ""
        return f"{name} {unit}" if unit and value is not None else name

    def condition_order(self, names, numeric):
        """Numbers in increasing order; words in the learner's planned order, else as recorded."""
        if all(numeric[name] is not None for name in names):
            return sorted(names, key=numeric.get)
        planned = [text_of(value).lower() for value in self.order]

        def rank(name):
            lowered = name.lower()
            return (planned.index(lowered) if lowered in planned else len(planned), names.index(name))

        return sorted(names, key=rank)

    # ----- words ------------------------------------------------------------------------

    def title(self):
        plan, gettext = self.plan, self.gettext
        x, y = self.quantity(plan["x"]), self.quantity(plan["y"])
        if plan["kind"] == "summary":
            return gettext("{y} for each {x}: each trial and the {statistic}").format(
                y=y, x=in_sentence(plan["x"]["name"]), statistic=gettext(STATISTICS[plan["statistic"]]).lower()
            )
        return gettext("{y} against {x}").format(y=y, x=in_sentence(x))

    def description(self, result):
        plan, gettext = self.plan, self.gettext
        _height, parts, count = result
        y_unit = f" {plan['y']['unit']}" if plan["y"].get("unit") else ""
        if plan["kind"] == "summary":
            stat = gettext(STATISTICS[plan["statistic"]]).lower()
            items = [
                self.ngettext(
                    "{condition}: {statistic} {value} ({count} trial)",
                    "{condition}: {statistic} {value} ({count} trials)",
                    part["trials"],
                ).format(
                    condition=part["condition"],
                    statistic=stat,
                    value=self.format.value(round(part["value"], 6)) + y_unit,
                    count=part["trials"],
                )
                for part in parts
            ]
            text = self.ngettext("{count} trial. {items}.", "{count} trials. {items}.", count).format(
                count=count, items="; ".join(items)
            )
        else:
            kind = gettext("Scatter chart") if plan["kind"] == "scatter" else gettext("Line chart")
            text = self.ngettext("{kind} of {count} trial.", "{kind} of {count} trials.", count).format(
                kind=kind, count=count
            )
            if plan["group"]:
                counts = "; ".join(f"{part['name'] or gettext('(blank)')}: {part['count']}" for part in parts)
                text += f" {plan['group']['name']} — {counts}."
        return " ".join([text, *self.notes])

    def build(self):
        result = self.summary() if self.plan["kind"] == "summary" else self.numeric()
        if result is None:
            return None
        return {
            "height": round(result[0], 1),
            "title": self.title(),
            "desc": self.description(result),
            "series" if self.plan["kind"] != "summary" else "conditions": result[1],
            "count": result[2],
            "notes": self.notes,
            "elements": self.elements,
        }


def describe(columns, rows, settings, gettext, *, ngettext=None, trials=None, language="en", order=None, sources=None):
    """
    The chart of ``rows`` as a plain, JSON-ready structure: ``kind``, the ``x``, ``y`` and
    ``group`` columns, ``title`` and ``desc`` (its text alternative in words), the
    ``elements`` to draw, or ``empty`` saying why there is nothing to draw yet.
    """
    try:
        plan = resolve(columns, settings)
    except ChartError as error:
        return {"empty": gettext(error.message).format(**error.params)}
    if plan is None:
        return {"empty": gettext("The chart needs a number column in the results table.")}
    head = {
        "kind": plan["kind"],
        "x": plan["x"]["key"],
        "y": plan["y"]["key"],
        "group": plan["group"]["key"] if plan["group"] else None,
        "statistic": plan["statistic"] if plan["kind"] != "scatter" else None,
        "scale": {"x": "log" if plan["log_x"] else "linear", "y": "log" if plan["log_y"] else "linear"},
        "width": WIDTH,
        "font": FONT,
    }
    ngettext = ngettext or (lambda singular, plural, count: singular if count == 1 else plural)
    chart = Chart(
        columns,
        rows,
        plan,
        translate=(gettext, ngettext),
        trials=trials,
        language=language,
        order=order,
        sources=sources,
    )
    built = chart.build()
    if built is None:
        return dict(head, empty=gettext("The chart appears when the table has results."))
    return dict(head, **built)


def sample_rows(columns):
    """
    Made-up results for the author's preview: three conditions of three trials, numbers
    that differ by condition and trial, and two words alternating in text columns.
    """
    changed = roles(columns)[0] if columns else None
    rows = []
    for condition in range(3):
        for trial in range(3):
            row = {}
            for index, column in enumerate(columns):
                if column is changed:
                    row[column["key"]] = (10, 20, 40)[condition] if column["type"] == "number" else "ABC"[condition]
                elif column["type"] == "number":
                    row[column["key"]] = round((index + 1) * (30 + 25 * condition) + 7 * trial - 5 * (index % 2), 1)
                else:
                    row[column["key"]] = ("x", "y")[(condition + trial) % 2]
            rows.append(row)
    return rows


# ----- small bar charts of counts (the dashboard's indicators) ----------------------------

BAR = 18  # a bar's thickness, in view-box units
BAR_GAP = 4


def bars(title, categories, series=(None,), *, written=str):
    """
    A small horizontal bar chart of counts or shares: ``categories`` [(label, [value per
    series])], ``series`` the names of the bars in each category (e.g. "when stated",
    "after the evidence"), ``written`` how a value reads ("62 %"). Every bar is written out with
    its series and value, so nothing depends on colour; the description lists them all.
    """
    named = [name for name in series if name]
    largest = max([value for _label, values in categories for value in values] + [1])
    label_room = WIDTH - 8
    value_room = max(len(f"{name}: {written(largest)}") for name in [*named, ""]) * CHAR + 12
    scale = (WIDTH - 8 - value_room) / largest
    elements, y, said = [], 4.0, []
    for line in wrap(title, label_room, 3):  # the title shows, as on every chart of ours
        y += FONT + 4
        elements.append(["text", {"x": 4, "y": y, "class": "lamap-chart-title", "font-weight": 600}, line])
    y += 6
    for label, values in categories:
        for line in wrap(label, label_room, 2):
            y += FONT + 2
            elements.append(["text", {"x": 4, "y": y, "class": "lamap-legend"}, line])
        y += 4
        parts = []
        for index, (name, value) in enumerate(zip(series, values, strict=True)):
            width = max(1.5, value * scale) if value else 0
            text = f"{name}: {written(value)}" if name else written(value)
            parts.append(text)
            colour = PALETTE[index % len(PALETTE)]
            if width:
                elements.append(
                    [
                        "rect",
                        {"x": 4, "y": y, "width": round(width, 1), "height": BAR, "fill": colour},
                        f"{label}, {text}",
                    ]
                )
            elements.append(["text", {"x": round(4 + width + 6, 1), "y": y + BAR - 4, "class": "lamap-legend"}, text])
            y += BAR + BAR_GAP
        said.append(f"{label}: {', '.join(parts)}")
        y += 6
    return {"title": title, "desc": "; ".join(said) + ".", "height": round(y + 4), "elements": elements}


# ----- SVG ------------------------------------------------------------------------------


def escape(text):
    """Text as SVG element content (html.escape's replaces run in C; str.translate does not)."""
    return html.escape(text, quote=False)


def render_svg(description, uid):
    """The description as an SVG element (a string of escaped markup), or "" when empty."""
    if not description or description.get("empty"):
        return ""
    title_id, desc_id = f"{uid}-chart-title", f"{uid}-chart-desc"
    out = [
        # The axes run left to right on a page written right to left too: the chart keeps its
        # own direction (its words are still shaped and ordered within each label).
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lamap-chart-svg" direction="ltr" viewBox="0 0 {WIDTH} '
        f'{description["height"]}" role="img" aria-labelledby="{title_id} {desc_id}" font-size="{FONT}">'
        f'<title id="{title_id}">{escape(description["title"])}</title>'
        f'<desc id="{desc_id}">{escape(description["desc"])}</desc>'
    ]
    for element in description["elements"]:
        tag, attributes = element[0], element[1]
        text = element[2] if len(element) > 2 else None
        # Attribute values are numbers, colours and class names made here, never people's
        # text (that is only ever element content, escaped below): no escaping needed.
        # Floats as the script writes them from JSON: 20 (not 20.0), 140.9.
        attrs = "".join(
            [
                f' {name}="{int(value) if value.__class__ is float and value.is_integer() else value}"'
                for name, value in attributes.items()
            ]
        )
        if text is None:
            out.append(f"<{tag}{attrs}/>")
        elif tag == "text":
            out.append(f"<text{attrs}>{escape(text)}</text>")
        else:  # a mark's own name: a tooltip, and what a screen reader's graphics mode reads
            out.append(f"<{tag}{attrs}><title>{escape(text)}</title></{tag}>")
    out.append("</svg>")
    return "".join(out)


# ----- authoring ------------------------------------------------------------------------


def author_specs():
    """The chart settings as the Studio editor and OLX accept them."""
    return {
        "chart_kind": spec.Choice(
            _("Chart"), KINDS, labels=KINDS, blank_label=_("Automatic: a summary by condition when there are numbers")
        ),
        "chart_x": spec.Text(_("Chart: horizontal axis (column name)"), 100, single_line=True),
        "chart_y": spec.Text(_("Chart: vertical axis (column name)"), 100, single_line=True),
        "chart_group": spec.Text(_("Chart: colour and shape by (column name)"), 100, single_line=True),
        "chart_statistic": spec.Choice(_("Chart: summary statistic"), STATISTICS, allow_blank=False, labels=STATISTICS),
        "chart_summary_mark": spec.Choice(
            _("Chart: draw the summary as"), SUMMARY_MARKS, allow_blank=False, labels=SUMMARY_MARKS
        ),
        "chart_log_x": spec.Boolean(_("Chart: log scale across")),
        "chart_log_y": spec.Boolean(_("Chart: log scale up")),
    }
