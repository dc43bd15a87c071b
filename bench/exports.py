"""
Memory and time of an investigation's export as the class grows: one investigation with
100, 10,000 (and, with --sizes, 100,000) learners who submitted all four steps, each
with a results table of 10 rows.

    .venv/bin/python bench/exports.py [--sizes 100 10000 100000]

For each size, in a fresh sqlite database filled in bulk: the time to stream the zip of
CSV files to nowhere, its size, and how much the process's resident memory (RSS, sampled
while streaming) grows above what it was before. Ratios are to the smallest size: the time
grows with the data, the memory must not (the export is a generator reading the store in
chunks). A benchmark, not a test.
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_bench import WORK_DIR, fresh_database  # noqa: E402  # first: Django on a temporary sqlite

# isort: split
from django.db import connections  # noqa: E402

from lamap_xblocks import exports, models  # noqa: E402
from tests.conftest import VALID_WORK  # noqa: E402

COURSE = "course-v1:LaMap+BENCH+2026"
COLUMNS = [
    {"key": "object", "name": "Object", "unit": "", "type": "text", "role": "changed"},
    {"key": "mass", "name": "Mass", "unit": "g", "type": "number", "role": "measured"},
    {"key": "volume", "name": "Volume", "unit": "cm³", "type": "number", "role": "measured"},
    {"key": "observed", "name": "Observed", "unit": "", "type": "text", "role": "measured"},
]


def work_of(step, number):
    if step == "experiment":
        rows = [
            {"object": f"object {n % 5}", "mass": 10 + n * 3 + number % 7, "volume": 8 + n * 4, "observed": "floats"}
            for n in range(10)
        ]
        return dict(VALID_WORK["lamap_experiment"], rows=rows, columns=COLUMNS, changed_variable="the object")
    return VALID_WORK[f"lamap_{'argumentation' if step == 'argumentation' else step}"]


def fill(size, chunk=5000):
    records = []
    for number in range(size):
        for step in ("question", "hypothesis", "experiment", "argumentation"):
            records.append(
                models.StepRecord(
                    course_id=COURSE,
                    investigation="floating",
                    usage_id=f"block-{step}",
                    step=step,
                    learner=f"learner-{number:06d}",
                    version=1,
                    kind="submitted",
                    title=step,
                    work=work_of(step, number),
                )
            )
            if len(records) >= chunk:
                models.StepRecord.objects.bulk_create(records)
                records = []
    models.StepRecord.objects.bulk_create(records)


def rss_mib():
    """The process's resident memory now (not its peak so far: filling the database raised that)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    args = parser.parse_args()
    print("learners   records   zip MB   stream s  x first   RSS growth while streaming, MB")
    first = None
    try:
        for size in args.sizes:
            fresh_database(WORK_DIR / f"exports-{size}.sqlite3")
            fill(size)
            connections.close_all()
            before = highest = rss_mib()
            start = time.perf_counter()
            total = 0
            for number, chunk in enumerate(exports.csv_zip(COURSE, "floating")):
                total += len(chunk)
                if number % 20 == 0:
                    highest = max(highest, rss_mib())
            elapsed = time.perf_counter() - start
            growth = max(highest, rss_mib()) - before
            first = first or elapsed
            print(
                f"{size:8d} {size * 4:9d} {total / 1e6:8.2f} {elapsed:10.2f} {elapsed / first:8.1f} "
                f"{growth:20.1f}  (target: under 50 MB at 100,000 learners)"
            )
    finally:
        connections.close_all()
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
