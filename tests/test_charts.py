"""
Charts of results as a science teacher reads them: each kind drawn on real data and
parsed back as SVG (axes and units, marks, legend, no line across categories), the
settings an author may not choose, and learners' text kept as text.
"""

import re

import pytest
from lxml import etree

from lamap_xblocks import charts
from lamap_xblocks.experiment import trial_numbers

SVG = "{http://www.w3.org/2000/svg}"

FLOATING = [
    {"key": "object", "name": "Object", "unit": "", "type": "text", "role": "changed"},
    {"key": "mass", "name": "Mass", "unit": "g", "type": "number", "role": "measured"},
    {"key": "volume", "name": "Volume", "unit": "cm³", "type": "number", "role": "measured"},
    {"key": "predicted", "name": "Predicted", "unit": "", "type": "text", "role": "prediction"},
    {"key": "observed", "name": "Observed", "unit": "", "type": "text", "role": "measured"},
]
# Measured in a kitchen: a paperclip beside a log is a hundred thousand times lighter.
OBJECTS = [
    ("modelling clay ball", 41, 25, "floats", "sinks"),
    ("modelling clay ball", 40, 25, "floats", "sinks"),
    ("paperclip", 0.5, 0.06, "sinks", "sinks"),
    ("log piece", 350, 600, "floats", "floats"),
    ("apple", 180, 200, "floats", "floats"),
    ("steel key", 12, 1.5, "sinks", "sinks"),
]
FLOATING_ROWS = [dict(zip(("object", "mass", "volume", "predicted", "observed"), row, strict=True)) for row in OBJECTS]
SCATTER = {"chart_kind": "scatter", "chart_x": "volume", "chart_y": "mass", "chart_group": "observed"}

DISSOLVING = [
    {"key": "temperature", "name": "Water temperature", "unit": "°C", "type": "number", "role": "changed"},
    {"key": "time", "name": "Time to dissolve", "unit": "s", "type": "number", "role": "measured"},
    {"key": "notes", "name": "Notes", "unit": "", "type": "text", "role": "measured"},
]
TIMES = {10: (250, 310, 270), 20: (160, 150, 172), 40: (95, 101, 99)}
DISSOLVING_ROWS = [{"temperature": t, "time": s, "notes": ""} for t, times in TIMES.items() for s in times]


def draw(columns, rows, settings, **options):
    description = charts.describe(
        columns, rows, settings, lambda text: text, trials=trial_numbers(rows, columns), **options
    )
    markup = charts.render_svg(description, "chart")
    return description, (etree.fromstring(markup) if markup else None)


def texts(svg, css_class=None):
    return [
        node.text
        for node in svg.iter(f"{SVG}text")
        if css_class is None or css_class in (node.get("class") or "").split()
    ]


def marks(svg):
    return [node for node in svg.iter() if "lamap-mark" in (node.get("class") or "").split()]


def test_scatter_of_mass_against_volume_coloured_and_shaped_by_what_was_observed():
    description, svg = draw(FLOATING, FLOATING_ROWS, SCATTER)
    assert description["kind"] == "scatter"
    assert svg.find(f"{SVG}title").text == "Mass (g) against volume (cm³)"
    assert texts(svg, "lamap-legend-title") == ["Observed"], "the legend says what colours and shapes stand for"
    assert texts(svg, "lamap-axis-title") == ["Volume (cm³)", "Mass (g)"], "one quantity per axis, with its unit"
    assert texts(svg, "lamap-legend") == ["floats", "sinks"], "alphabetical: the same colours in every chart"
    found = marks(svg)
    assert len(found) == len(OBJECTS)
    by_series = {}
    for mark in found:
        by_series.setdefault(mark.get("data-series"), set()).add((mark.tag, mark.get("fill")))
    assert len(by_series) == 2 and all(len(kinds) == 1 for kinds in by_series.values())
    assert len({next(iter(kinds)) for kinds in by_series.values()}) == 2, "each series its own colour and shape"
    assert not list(svg.iter(f"{SVG}polyline")), "a scatter joins nothing"
    names = [mark.find(f"{SVG}title").text for mark in found]
    assert "modelling clay ball, trial 2: volume 25 cm³, mass 40 g" in names, "each point says its trial"
    # The paperclip is drawn at the minimum size, not lost at the origin.
    clip = next(mark for mark in found if mark.find(f"{SVG}title").text.startswith("paperclip"))
    size = float(clip.get("r")) * 2 if clip.get("r") else float(clip.get("width"))
    assert size >= 9, "at least 9 view-box units across"
    assert description["desc"] == "Scatter chart of 6 trials. Observed — floats: 2; sinks: 4."


def test_the_same_word_is_one_category_whatever_its_capitals_and_spaces():
    rows = [
        dict(row, observed=spelling)
        for row, spelling in zip(FLOATING_ROWS, ("Sinks", "sinks ", "SINKS", "floats", "Floats", "sinks"), strict=True)
    ]
    description, svg = draw(FLOATING, rows, SCATTER)
    assert texts(svg, "lamap-legend") == ["floats", "Sinks"], "as first written"
    rows = [{"temperature": t, "time": s, "notes": ""} for t, s in (("10", 250), ("10,0", 260), (20, 150))]
    description, _svg = draw(DISSOLVING, rows, {})
    assert [c["condition"] for c in description["conditions"]] == ["10", "20"]


def test_log_scales_keep_small_and_large_apart_and_say_what_they_cannot_show():
    rows = [*FLOATING_ROWS, dict(FLOATING_ROWS[0], volume=0)]
    description, svg = draw(FLOATING, rows, dict(SCATTER, chart_log_x=True, chart_log_y=True))
    assert texts(svg, "lamap-axis-title") == ["Volume (cm³) (log scale)", "Mass (g) (log scale)"]
    ticks = [text for text in texts(svg) if text and re.fullmatch(r"[0-9.]+", text)]
    assert {"0.01", "1", "100", "1000"} <= set(ticks), "powers of ten as written"
    assert len(marks(svg)) == len(OBJECTS)
    assert "1 value of 0 or less cannot be shown on a log scale." in description["desc"]


def test_summary_by_condition_draws_each_trial_and_the_median_never_a_line():
    description, svg = draw(DISSOLVING, DISSOLVING_ROWS, {})
    assert description["kind"] == "summary" and description["statistic"] == "median"
    assert svg.find(f"{SVG}title").text == "Time to dissolve (s) for each water temperature: each trial and the median"
    assert texts(svg, "lamap-axis-title") == ["Water temperature (°C)", "Time to dissolve (s)"]
    assert {"10 °C", "20 °C", "40 °C"} <= set(texts(svg)), "conditions across, in increasing order"
    assert len(marks(svg)) == 9, "every trial is a dot"
    ticks = [node for node in svg.iter(f"{SVG}line") if node.get("class") == "lamap-summary"]
    assert [node.find(f"{SVG}title").text for node in ticks] == [
        "10 °C: median 270 s",
        "20 °C: median 160 s",
        "40 °C: median 99 s",
    ]
    assert not list(svg.iter(f"{SVG}polyline")), "no line from one temperature to the next"
    assert "10: median 270 s (3 trials)" in description["desc"]
    assert texts(svg, "lamap-legend") == ["Each trial", "Median"]


def test_summary_as_bars_of_the_mean_start_at_zero():
    description, svg = draw(DISSOLVING, DISSOLVING_ROWS, {"chart_statistic": "mean", "chart_summary_mark": "bar"})
    bars = [node for node in svg.iter(f"{SVG}rect") if node.get("class") == "lamap-summary"]
    assert len(bars) == 3
    zero = next(float(n.get("y")) for n in svg.iter(f"{SVG}text") if n.text == "0" and n.get("text-anchor") == "end")
    assert all(abs(float(bar.get("y")) + float(bar.get("height")) - (zero - 5)) < 0.2 for bar in bars)
    assert "10: mean 276.667 s (3 trials)" in description["desc"]


def test_conditions_in_words_follow_the_planned_order():
    rows = [
        {"temperature": name, "time": time, "notes": ""} for name, time in (("hot", 40), ("cold", 250), ("warm", 150))
    ]
    columns = [dict(DISSOLVING[0], type="text", unit=""), *DISSOLVING[1:]]
    _description, svg = draw(columns, rows, {}, order=["cold", "warm", "hot"])
    labels = [text for text in texts(svg) if text in ("cold", "warm", "hot")]
    assert labels == ["cold", "warm", "hot"]


def test_a_line_joins_the_points_of_one_category_only_along_ordered_numbers():
    columns = [
        {"key": "day", "name": "Day", "unit": "", "type": "number", "role": "changed"},
        {"key": "height", "name": "Height", "unit": "cm", "type": "number", "role": "measured"},
        {"key": "plant", "name": "Plant", "unit": "", "type": "text", "role": ""},
    ]
    rows = [
        {"day": day, "height": 1 + day * rate, "plant": plant}
        for plant, rate in (("in light", 0.8), ("in the dark", 0.5))
        for day in (6, 0, 2, 4)  # recorded out of order: the line still follows the days
    ]
    description, svg = draw(columns, rows, {"chart_kind": "line", "chart_group": "plant"})
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2, "one line per plant"
    for line in lines:
        series = line.get("data-series")
        points = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
        assert [x for x, _y in points] == sorted(x for x, _y in points), "along increasing days"
        own = [m for m in marks(svg) if m.get("data-series") == series]
        assert len(own) == len(points) == 4, "a line only through its own category's points"
        if own[0].tag == f"{SVG}circle":
            assert sorted(points) == sorted((float(m.get("cx")), float(m.get("cy"))) for m in own)
    assert texts(svg, "lamap-legend") == ["in light", "in the dark"]
    assert description["desc"] == "Line chart of 8 trials. Plant — in light: 4; in the dark: 4."


@pytest.mark.parametrize(
    "settings,field,message",
    [
        ({"chart_kind": "scatter", "chart_x": "weight"}, "chart_x", "There is no column “weight”"),
        ({"chart_kind": "scatter", "chart_x": "observed", "chart_y": "mass"}, "chart_x", "“Observed” is a text column"),
        ({"chart_y": "observed"}, "chart_y", "the vertical axis needs numbers"),
        ({"chart_kind": "line", "chart_x": "object"}, "chart_x", "“Object” is a text column"),
        ({"chart_kind": "scatter", "chart_x": "mass", "chart_y": "mass"}, "chart_y", "two different columns"),
        ({"chart_kind": "summary", "chart_log_x": True}, "chart_log_x", "no log scale"),
        ({"chart_kind": "scatter", **SCATTER, "chart_group": "mass"}, "chart_group", "not by an axis"),
    ],
)
def test_settings_that_cannot_be_drawn_name_the_setting(settings, field, message):
    with pytest.raises(charts.ChartError) as raised:
        charts.resolve(FLOATING, settings)
    assert raised.value.field == field
    assert message in raised.value.message.format(**raised.value.params)


def test_defaults_come_from_the_table():
    plan = charts.resolve(DISSOLVING, {})
    assert (plan["kind"], plan["x"]["key"], plan["y"]["key"], plan["group"]) == ("summary", "temperature", "time", None)
    plan = charts.resolve(FLOATING, {"chart_kind": "scatter"})
    assert (plan["x"]["key"], plan["y"]["key"], plan["group"]["key"]) == ("mass", "volume", "observed")
    assert charts.resolve([FLOATING[0], FLOATING[4]], {}) is None, "nothing to plot: no chart, no error"


def test_learners_and_authors_text_stays_text():
    hostile = '<script>alert(1)</script>"&'
    columns = [dict(FLOATING[0], name=hostile), *FLOATING[1:4], dict(FLOATING[4], name="Obs <b>")]
    rows = [dict(row, object=hostile, observed="<img src=x onerror=alert(1)>") for row in FLOATING_ROWS]
    description, svg = draw(columns, rows, SCATTER)
    assert not list(svg.iter("script", f"{SVG}script", f"{SVG}foreignObject", "img"))
    for node in svg.iter():
        assert all(not name.startswith("on") for name in node.attrib)
    assert "<img src=x onerror=alert(1)>" in texts(svg, "lamap-legend")
    assert any(hostile in (node.text or "") for node in svg.iter(f"{SVG}title"))


def test_an_empty_table_says_why_there_is_no_chart_yet():
    description, svg = draw(DISSOLVING, [{"temperature": 10, "time": None, "notes": ""}], {})
    assert svg is None and description["empty"] == "The chart appears when the table has results."


def test_numbers_in_the_readers_language():
    rows = [{"temperature": 10, "time": 12.5, "notes": ""}, {"temperature": 10, "time": 13.5, "notes": ""}]
    description, _svg = draw(DISSOLVING, rows, {}, language="fr")
    assert "médiane" not in description["desc"]  # the frame is translated by the block, not here
    assert "13 s" in description["desc"] and "12,5" in str(description["elements"])


def test_a_hundred_rows_in_three_series_make_one_chart_with_every_point():
    columns = [
        {"key": "minute", "name": "Time", "unit": "min", "type": "number", "role": "changed"},
        {"key": "temperature", "name": "Temperature", "unit": "°C", "type": "number", "role": "measured"},
        {"key": "cup", "name": "Cup", "unit": "", "type": "text", "role": "measured"},
    ]
    rows = [
        {"minute": n // 3, "temperature": 80 - n * 0.4, "cup": ("glass", "metal", "foam")[n % 3]} for n in range(100)
    ]
    description, svg = draw(columns, rows, {"chart_kind": "line", "chart_group": "cup"})
    assert len(marks(svg)) == 100 and len(list(svg.iter(f"{SVG}polyline"))) == 3
    assert description["count"] == 100


def test_many_numeric_conditions_are_labelled_whole_every_few_not_cut():
    rows = [{"temperature": t, "time": 100 - t, "notes": ""} for t in range(10, 90, 5)]
    _description, svg = draw(DISSOLVING, rows, {})
    labels = [text for text in texts(svg) if text and text.endswith("°C") and "(" not in text]
    assert labels[0] == "10 °C" and "…" not in "".join(labels)
    assert 4 <= len(labels) < 16, "every k-th condition, like an axis's ticks"
    assert len(marks(svg)) == 16


def test_a_class_s_many_trials_never_hide_the_median():
    """Three trials: the tick under the dots (the median trial stays visible); a class's dozens: on top."""
    few, _svg = draw(DISSOLVING, DISSOLVING_ROWS, {"chart_kind": "summary"})
    summary_ticks = [i for i, element in enumerate(few["elements"]) if element[1].get("class") == "lamap-summary"]
    first_dot = next(i for i, element in enumerate(few["elements"]) if element[1].get("class") == "lamap-mark")
    assert summary_ticks[0] < first_dot
    rows = [
        {"temperature": t, "time": s + k, "notes": ""} for t, times in TIMES.items() for s in times for k in range(5)
    ]
    many, svg = draw(DISSOLVING, rows, {"chart_kind": "summary"})
    elements = many["elements"]
    ticks = [i for i, element in enumerate(elements) if element[1].get("class") == "lamap-summary"]
    halos = [i for i, element in enumerate(elements) if element[1].get("class") == "lamap-summary-halo"]
    dots = [i for i, element in enumerate(elements) if element[1].get("class") == "lamap-mark"]
    assert len(ticks) == len(halos) == 3
    assert all(halo + 1 == tick for halo, tick in zip(halos, ticks, strict=True)), "each tick on its white halo"
    assert ticks[-1] > dots[-1] and ticks[0] > dots[0], "drawn over the dots of its condition"
    named = [node.find(f"{SVG}title").text for node in svg.iter(f"{SVG}line") if node.get("class") == "lamap-summary"]
    assert named[0].startswith("10 °C: median"), "the tick keeps its name"
