"""
Render cost and page weight of each step block, beside xblock-poll rendered in the same run.

    .venv/bin/python bench/render.py [--rounds 300]

For each block: the median and 90th-percentile time of student_view (a new learner, and
a learner with saved work), and the JavaScript + CSS bytes its fragment ships (files it
links to plus inline code). Ratios are to xblock-poll. A benchmark, not a test: the
figures depend on the machine; compare runs made on the same one.
"""

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LAMAP_VAR_DIR", tempfile.mkdtemp(prefix="lamap-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lamap_xblocks.demo.settings")

import django  # noqa: E402

django.setup()

from xblock.core import XBlock  # noqa: E402

from lamap_xblocks import scenarios  # noqa: E402
from tests.conftest import VALID_WORK, RecordingRuntime  # noqa: E402

# The tests' sample work, made heavier where volume matters, and fitted to the scenarios'
# results table (temperature, time, notes).
WORK = copy.deepcopy(VALID_WORK)
WORK["lamap_hypothesis"]["hypotheses"] = [
    dict(VALID_WORK["lamap_hypothesis"]["hypotheses"][0], id=f"h{n}") for n in range(3)
]
WORK["lamap_experiment"]["rows"] = [{"temperature": t, "time": 100 - t, "notes": ""} for t in range(10, 90, 5)]

XML = {
    "lamap_question": scenarios.QUESTION,
    "lamap_hypothesis": scenarios.HYPOTHESIS,
    "lamap_experiment": scenarios.EXPERIMENT,
    "lamap_argumentation": scenarios.ARGUMENTATION,
    "poll": (
        '<poll display_name="Which objects float?" question="Which of these **float** in water?" '
        'feedback="Density, not weight, decides." answers=\''
        '[["A", {"label": "A wooden ruler", "img": null}], ["B", {"label": "A steel key", "img": null}], '
        '["C", {"label": "An apple", "img": null}]]\'/>'
    ),
}


class BenchRuntime(RecordingRuntime):
    """The unit tests' runtime, without XBlock core's per-render scan for asides."""

    def applicable_aside_types(self, block):
        # Core scans every installed package's entry points on each render to find
        # asides; real runtimes cache this. Leave it out of what we measure.
        return []


def shipped_bytes(block, fragment):
    """JS + CSS bytes: local files the fragment links to, plus inline code."""
    total = 0
    for resource in fragment.resources:
        if resource.mimetype not in ("text/css", "application/javascript", "text/javascript"):
            continue
        if resource.kind == "url":
            prefix = f"/resource/{block.scope_ids.block_type}/"
            if resource.data.startswith(prefix):
                owner = getattr(block, "unmixed_class", type(block))
                with owner.open_local_resource(resource.data[len(prefix) :]) as handle:
                    total += len(handle.read())
        else:
            total += len(resource.data.encode("utf-8"))
    return total


def make(block_type):
    """The block from its OLX, in a runtime of its own (so with an empty learner state)."""
    runtime = BenchRuntime()
    return runtime.get_block(runtime.parse_xml_string(XML[block_type].encode("utf-8")))


def timed(block, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        block.render("student_view", {})
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    XBlock.load_class("poll")  # fails loudly when xblock-poll is missing
    rows = []
    for block_type in ["poll", *WORK]:
        fresh = make(block_type)
        fresh.render("student_view", {})  # warm template caches, as a running server has
        new_median, new_p90 = timed(fresh, args.rounds)
        worked = make(block_type)
        if block_type in WORK:
            for name, value in worked.clean_work(WORK[block_type]).items():
                setattr(worked, name, value)
            worked.saved_on = "2026-01-01T10:00:00+00:00"
        else:  # the poll: a learner who voted sees the results
            worked.choice, worked.tally = "A", {"A": 12, "B": 3, "C": 7}
        worked_median, worked_p90 = timed(worked, args.rounds)
        weight = shipped_bytes(fresh, fresh.render("student_view", {}))
        rows.append((block_type, new_median, new_p90, worked_median, worked_p90, weight))

    chart_median = chart_build_ms(args.rounds)
    poll = rows[0]
    print(f"student_view over {args.rounds} renders each; ratios are to xblock-poll")
    print("times in ms: a new learner, then a learner with saved work (the poll: one who voted)")
    header = ("block", "new p50", "new p90", "x poll", "work p50", "work p90", "x poll", "JS+CSS B", "x poll")
    print("{:22} {:>8} {:>8} {:>7} {:>9} {:>9} {:>7} {:>9} {:>7}".format(*header))
    for name, median, p90, worked, worked_p90, weight in rows:
        print(
            f"{name:22} {median:8.3f} {p90:8.3f} {median / poll[1]:7.2f} {worked:9.3f} {worked_p90:9.3f} "
            f"{worked / poll[3]:7.2f} {weight:9d} {weight / poll[5]:7.2f}"
        )
    print(
        f"chart of 100 rows x 3 series, described and drawn as SVG: p50 {chart_median:.3f} ms "
        f"({chart_median / poll[1]:.2f} x poll's render; target 2 ms)"
    )


def chart_build_ms(rounds):
    """A results chart of 100 rows in 3 series (a line chart, the heaviest), described and drawn as SVG."""
    from lamap_xblocks import charts  # noqa: PLC0415

    columns = [
        {"key": "minute", "name": "Time", "unit": "min", "type": "number", "role": "changed"},
        {"key": "temperature", "name": "Temperature", "unit": "°C", "type": "number", "role": "measured"},
        {"key": "cup", "name": "Cup", "unit": "", "type": "text", "role": "measured"},
    ]
    cups = ("glass", "metal", "foam")
    rows = [{"minute": n // 3, "temperature": 80 - n * 0.4, "cup": cups[n % 3]} for n in range(100)]
    settings = {"chart_kind": "line", "chart_group": "cup"}
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        charts.render_svg(charts.describe(columns, rows, settings, str, trials=[1] * 100), "bench")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
