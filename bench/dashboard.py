"""
Cost of the trainer's dashboard as the class grows: one investigation with 100, 10,000
(and, with --sizes, 100,000) learners who submitted all four steps (results tables of 10
rows), a third of them with a revised hypothesis, a fifth stopped before the argument.

    .venv/bin/python bench/dashboard.py [--sizes 100 10000 100000] [--repeat 5] [--explain]

For each size, in a fresh sqlite database: the records are written in bulk, then counted
once (store.rebuild_progress, as the migration does; live submissions move the counts one
by one). Then, as a trainer uses it, the median time and the SQL queries of: the whole
dashboard (the notebook's staff view rendered to HTML: indicators with their charts, needs
attention, the pooled chart, the first page of the grid), a grid page filtered "submitted
the experiment, no argument", one filtered "submitted the question" (learners at two
stages, merged), a middle page, one learner's investigation, the pooled
chart, and the indicators and needs-attention data alone. Ratios are to the smallest
size. The goals: queries constant in the class size; the dashboard at 100,000 learners at
most 3x its time at 100. A benchmark, not a test: the figures depend on the machine;
compare runs made on the same one.
"""

import argparse
import itertools
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_bench import WORK_DIR, fresh_database, median_ms, queries_of  # noqa: E402  # first: Django on a temporary sqlite

# isort: split
from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from xblock.runtime import ScopeIds  # noqa: E402

from lamap_xblocks import dashboard, models, store  # noqa: E402
from tests.conftest import ALL_BLOCKS, VALID_WORK, RecordingRuntime  # noqa: E402
from tests.conftest import call as call_handler  # noqa: E402

COURSE = "course-v1:LaMap+BENCH+2026"
INVESTIGATION = "floating"
STEPS = ("question", "hypothesis", "experiment", "argumentation")
COLUMNS = [
    {"key": "object", "name": "Object", "unit": "", "type": "text", "role": "changed"},
    {"key": "mass", "name": "Mass", "unit": "g", "type": "number", "role": "measured"},
    {"key": "volume", "name": "Volume", "unit": "cm³", "type": "number", "role": "measured"},
    {"key": "observed", "name": "Observed", "unit": "", "type": "text", "role": "measured"},
]
REVISED_SHARE = 3  # one learner in 3 revisited their hypothesis
STOPPED_SHARE = 5  # one learner in 5 stopped before the argument
GROWTH_GOAL = 3.0  # the largest class's time over the smallest's
GOAL_SIZE = 100_000
BUDGET = 10.0  # seconds per figure, beyond which fewer calls are timed (at least 3)
STAFF = "teacher"


def work_of(step, number):
    """A learner's work on a step, shaped as the blocks submit it, a little varied across the class."""
    if step == "question":
        return dict(VALID_WORK["lamap_question"], chosen_question=number % 2)
    if step == "hypothesis":
        item = dict(VALID_WORK["lamap_hypothesis"]["hypotheses"][0], confidence=1 + number % 4)
        return {"hypotheses": [item]}
    if step == "experiment":
        rows = [
            {"object": f"object {n % 5}", "mass": 10 + n * 3 + number % 7, "volume": 8 + n * 4, "observed": "floats"}
            for n in range(10)
        ]
        work = dict(VALID_WORK["lamap_experiment"], rows=rows, columns=COLUMNS, changed_variable="the object")
        if number % 10 == 0:  # a plan that keeps what it changes: fails the fair-test check
            work["controlled_variables"] = ["the object", "the water"]
        return work
    evidence = [dict(item, source="") for item in VALID_WORK["lamap_argumentation"]["evidence"]]
    if number % 2:  # half the class cites a row of its results
        evidence[0]["source"] = f"row-{number % 10 + 1}"
    return dict(VALID_WORK["lamap_argumentation"], evidence=evidence)


def revised_work(number):
    """The hypothesis revisited after the experiment: a verdict, a justification, the confidence now."""
    item = dict(
        VALID_WORK["lamap_hypothesis"]["hypotheses"][0],
        verdict=("supported", "refuted", "unsure")[number % 3],
        justification="The heavy log floated in our results.",
        confidence=min(4, 2 + number % 4),  # one step surer than at first, at most "very sure"
    )
    return {"hypotheses": [item]}


def record(number, step, version=1, kind="submitted", work=None):
    return models.StepRecord(
        course_id=COURSE,
        investigation=INVESTIGATION,
        usage_id=f"block-{step}",
        step=step,
        learner=f"{number:032x}",  # an anonymous id, as Open edX gives
        version=version,
        kind=kind,
        title=step,
        work=work if work is not None else work_of(step, number),
    )


def fill(size, chunk=5000):
    """``size`` learners, each with the four steps submitted; one in REVISED_SHARE revised. Returns the records."""
    records, total = [], 0
    for number in range(size):
        for step in STEPS if number % STOPPED_SHARE else STEPS[:-1]:
            records.append(record(number, step))
        if number % REVISED_SHARE == 0:
            records.append(record(number, "hypothesis", version=2, kind="revised", work=revised_work(number)))
        if len(records) >= chunk:
            models.StepRecord.objects.bulk_create(records)
            total += len(records)
            records = []
    models.StepRecord.objects.bulk_create(records)
    return total + len(records)


def shape(sql):
    """A query with its values blanked, so repeats of one query with other values count as one."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", sql)


def notebook():
    """The investigation's notebook as a staff member opens it (the dashboard's page)."""
    runtime = RecordingRuntime()
    runtime.course_id = COURSE
    runtime.users.staff.add(STAFF)
    keys = ScopeIds(STAFF, "lamap_notebook", "def-notebook", "usage-notebook")
    block = runtime.construct_xblock_from_class(ALL_BLOCKS["lamap_notebook"], keys)
    block.investigation = INVESTIGATION
    return block


def handler(block, name, data):
    status, reply = call_handler(block, name, data)
    assert status == 200, reply
    return reply


NEWCOMERS = itertools.count(1)


def submit(size, *, counted):
    """A new learner's experiment recorded as the blocks record it (counted: with the dashboard's bookkeeping)."""
    number = size + next(NEWCOMERS)
    if counted:
        return store.record_step(
            course_id=COURSE,
            investigation=INVESTIGATION,
            usage_id="block-experiment",
            step="experiment",
            learner=f"{number:032x}",
            kind="submitted",
            title="experiment",
            work=work_of("experiment", number),
        )
    with transaction.atomic():  # what recording cost before the dashboard kept its counts
        return record(number, "experiment").save()


def cases(size):
    """{name: call} for a class of ``size`` learners."""
    middle = max(1, -(-size // dashboard.PAGE_SIZE) // 2)
    block = notebook()
    everyone = {"submitted": [], "missing": []}
    return {
        "dashboard (whole page)": lambda: block.render("student_view", {}).content,
        "grid, filtered": lambda: handler(
            block, "dashboard_page", {"page": 1, "submitted": ["experiment"], "missing": ["argumentation"]}
        ),
        "grid, filtered two ways": lambda: handler(
            block, "dashboard_page", dict(everyone, page=1, submitted=["question"])
        ),
        f"grid, middle page ({middle})": lambda: handler(block, "dashboard_page", dict(everyone, page=middle)),
        "one learner's view": lambda: handler(block, "learner_view", {"learner": f"{size // 2:032x}"}),
        "pooled chart": lambda: block.pooled_chart(INVESTIGATION),
        "a submission, counted": lambda: submit(size, counted=True),
        "a submission, not counted": lambda: submit(size, counted=False),
        "indicators (data)": lambda: dashboard.indicators(COURSE, INVESTIGATION),
        "needs attention (data)": lambda: dashboard.needs_attention(COURSE, INVESTIGATION),
    }


def summary(name, result):
    """What a call found, to check the class was read whole."""
    if name.startswith("dashboard"):
        return f"{len(result) // 1024} KiB of HTML"
    if name.startswith("grid") or name.startswith("one learner"):
        return f"{len(result['html']) // 1024} KiB of HTML"
    if name.startswith("pooled"):
        return f"{result['shown']} of {result['learners']} learners drawn"
    if name.startswith("a submission"):
        return "recorded" if result is None or result.pk else "?"
    if name.startswith("indicators"):
        figures = result["hypothesis"]
        return (
            f"learners {result['learners']['question']}, confidence {figures['confidence_before']}"
            f"->{figures['confidence_after']}, checks passed {result['experiment']['checks']}, "
            f"citing {result['argumentation']['citing_results']}%"
        )
    return ", ".join(f"{count} {reason}" for reason, count in sorted(result["counts"].items()))


def explain(sqls):
    with connection.cursor() as cursor:
        for sql in sqls:
            print(f"    {sql}")
            for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall():
                print(f"      plan: {row[-1]}")


def measure(size, repeat, show_plans=False):
    """{case: (median ms, queries, the queries' SQL, summary)} on a class of ``size``."""
    results = {}
    for name, call in cases(size).items():
        call()  # warm caches, as a running server has
        sqls, result = queries_of(call)
        if show_plans:
            print(f"  {name}:")
            explain(sqls)
        results[name] = (median_ms(call, repeat, BUDGET, 3), len(sqls), sqls, summary(name, result))
    return results


def base_name(name):
    return name.split(" (")[0]  # the middle page is a different page at each size


def report(size, results, smallest):
    for name, (ms, queries, sqls, found) in results.items():
        base_ms, base_queries, base_sqls, _found = smallest[base_name(name)]
        print(f"{size:9d}  {name:30} {ms:11.1f} {queries:8d} {ms / base_ms:8.1f}x   {found}")
        if queries != base_queries:
            repeated, count = Counter(map(shape, sqls)).most_common(1)[0]
            print(f"{'':11}! {queries} queries here, {base_queries} at the smallest size; repeated {count}x:")
            print(f"{'':13}{repeated[:300]}")


def verdicts(first, last, sizes):
    """Which figures meet the goals, from the smallest and the largest class measured."""
    at = f"{sizes[-1]:,}"
    print(f"\ngoals, {at} learners against {sizes[0]:,}:")
    for name, (ms, queries, _sqls, _found) in last.items():
        base_ms, base_queries, _base_sqls, _base_found = first[base_name(name)]
        growth = ms / base_ms
        constant = "queries constant" if queries == base_queries else f"queries {base_queries} -> {queries}: NOT MET"
        time_goal = f"time {growth:.1f}x: " + ("met" if growth <= GROWTH_GOAL else "NOT MET")
        print(f"  {base_name(name):30} {constant:18}  {time_goal}")
    if sizes[-1] < GOAL_SIZE:
        print(f"  (the time goal is set at {GOAL_SIZE:,} learners; run with --sizes 100 {GOAL_SIZE} to check it)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000], help="learners in the class")
    parser.add_argument("--repeat", type=int, default=5, help="calls per measurement")
    parser.add_argument("--explain", action="store_true", help="print each query and its plan at the largest size")
    args = parser.parse_args()
    settings.DEBUG = False  # no query log kept, as in production (counts come from CaptureQueriesContext)
    sizes = sorted(set(args.sizes))
    print(
        f"one investigation on sqlite {connection.Database.sqlite_version}, {dashboard.PAGE_SIZE} learners a page; "
        f"median of {args.repeat} calls (fewer past {BUDGET:g} s); ratios are to the class of {sizes[0]}"
    )
    print(
        f"goals: queries constant in the class size; each figure at {GOAL_SIZE:,} learners at most "
        f"{GROWTH_GOAL:g}x its time at 100 (everything reads the class's running counts and progress rows, "
        "with a LIMIT)"
    )
    print(f"\n{'learners':>9}  {'function':30} {'median ms':>11} {'queries':>8} {'time x':>9}   found")
    smallest = last = None
    try:
        for size in sizes:
            path = WORK_DIR / f"dashboard-{size}.sqlite3"
            fresh_database(path)
            start = time.perf_counter()
            with transaction.atomic():
                records = fill(size)
            filled = time.perf_counter() - start
            start = time.perf_counter()
            store.rebuild_progress(COURSE, INVESTIGATION)
            counted = time.perf_counter() - start
            print(f"{size:9d}  ({records} records, written in {filled:.1f} s, counted in {counted:.1f} s)")
            last = measure(size, args.repeat, args.explain and size == sizes[-1])
            smallest = smallest or {base_name(name): figures for name, figures in last.items()}
            report(size, last, smallest)
            connections.close_all()
            for leftover in WORK_DIR.glob(f"{path.name}*"):
                leftover.unlink()
        verdicts(smallest, last, sizes)
    finally:
        connections.close_all()
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
