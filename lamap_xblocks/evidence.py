"""
Evidence from an experiment, as an argument cites it.

Each results row becomes a sentence a reader understands without the table:
"clay ball, trial 2: mass 41 g, volume 25 cm³; observed: sinks". Prediction columns
are what the learner expected, not what happened: they are never cited as
observations, only beside the observation ("clay ball, trial 2: I predicted floats;
I observed sinks").
"""

import re

from . import charts
from .charts import in_sentence, text_of

# Where a cited piece of evidence comes from: the observations, the class's data, a row,
# or a row's prediction set against its observation (these two: the learner's own results).
OWN_RESULT = r"(row|prediction)-[0-9]{1,3}"
SOURCE = re.compile(rf"observations|class|{OWN_RESULT}")


def cites_own_results(source):
    """Whether an evidence item's source is a row of the learner's own results (or its prediction)."""
    return bool(re.fullmatch(OWN_RESULT, source or ""))


def trial_label(row, trial, changed, gettext, time=None):
    """
    "clay ball, trial 2" (the changed variable's value with its unit, and the trial); in a
    time series, "damp, dark, day 3" (the time column says which reading the row is).
    """
    value = text_of(row.get(changed["key"])) if changed else ""
    if value and changed.get("unit") and charts.number(value) is not None:
        value = f"{value} {changed['unit']}"
    when = text_of(row.get(time["key"])) if time else ""
    if when:
        trial_text = f"{charts.in_sentence(time['name'])} {when}" + (f" {time['unit']}" if time.get("unit") else "")
        if trial > 1:  # a repeat at the same time
            trial_text = f"{trial_text}, {gettext('trial {number}').format(number=trial)}"
    else:
        trial_text = gettext("trial {number}").format(number=trial)
    return f"{value}, {trial_text}" if value else trial_text.capitalize()


def measurement(column, value, formatter):
    number = charts.number(value) if column["type"] == "number" else None
    text = formatter.value(number) if number is not None else text_of(value)
    unit = f" {column['unit']}" if column.get("unit") else ""
    return f"{in_sentence(column['name'])} {text}{unit}"


def row_sentence(row, trial, columns, gettext, formatter):
    """The row as evidence: its condition and trial, its measurements; then what was observed in words."""
    changed, measured, _predictions = charts.roles(columns)
    time = charts.time_column(columns)
    filled = [c for c in measured if c is not time and text_of(row.get(c["key"]))]
    numbers = [measurement(c, row.get(c["key"]), formatter) for c in filled if c["type"] == "number"]
    words = [f"{in_sentence(c['name'])}: {text_of(row.get(c['key']))}" for c in filled if c["type"] != "number"]
    body = "; ".join(part for part in (", ".join(numbers), "; ".join(words)) if part)
    return f"{trial_label(row, trial, changed, gettext, time)}: {body}" if body else ""


def prediction_sentence(row, trial, columns, gettext):
    """ "clay ball, trial 2: I predicted “floats”; I observed “sinks”." (None without both)."""
    changed, measured, predictions = charts.roles(columns)
    observed = [c for c in measured if c["type"] != "number"] or measured
    for prediction in predictions:
        expected = text_of(row.get(prediction["key"]))
        partner = next((c for c in observed if c["type"] == prediction["type"]), None)
        seen = text_of(row.get(partner["key"])) if partner else ""
        if expected and seen:
            return gettext("{trial}: I predicted “{predicted}”; I observed “{observed}”.").format(
                trial=trial_label(row, trial, changed, gettext, charts.time_column(columns)),
                predicted=expected,
                observed=seen,
            )
    return None


def citations(work, gettext, language="en"):
    """
    What the learner recorded, offered as evidence to cite: the observations, each
    row as a sentence with its trial, and each prediction beside its observation.
    """
    from .experiment import trial_numbers  # the experiment step's rule for repeats

    columns = work.get("columns") or []
    rows = work.get("rows") or []
    formatter = charts.Formatter(language)
    offers = []
    if work.get("observations"):
        offers.append({"source": "observations", "label": gettext("My observations"), "text": work["observations"]})
    changed = charts.roles(columns)[0] if columns else None
    time = charts.time_column(columns)
    for index, (row, trial) in enumerate(zip(rows, trial_numbers(rows, columns), strict=True)):
        sentence = row_sentence(row, trial, columns, gettext, formatter)
        if sentence:
            offers.append(
                {"source": f"row-{index}", "label": trial_label(row, trial, changed, gettext, time), "text": sentence}
            )
        versus = prediction_sentence(row, trial, columns, gettext)
        if versus:
            offers.append(
                {
                    "source": f"prediction-{index}",
                    "label": gettext("{trial}: prediction and observation").format(
                        trial=trial_label(row, trial, changed, gettext, time)
                    ),
                    "text": versus,
                }
            )
    return offers


def source_is_valid(source, rows):
    """A cited source names the observations or an existing row."""
    if not source:
        return True
    if not SOURCE.fullmatch(source):
        return False
    return source in ("observations", "class") or int(source.split("-")[1]) < rows
