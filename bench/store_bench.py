"""
What the store benchmarks share: Django with the demo settings on sqlite files in a
temporary folder (never the developer's database), and a fresh migrated database per size.

    from store_bench import WORK_DIR, fresh_database   # first, before any Django import
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
WORK_DIR = Path(tempfile.mkdtemp(prefix=f"lamap-bench-{Path(sys.argv[0]).stem}-"))
os.environ["LAMAP_VAR_DIR"] = str(WORK_DIR)
os.environ["DJANGO_SETTINGS_MODULE"] = "lamap_xblocks.demo.settings"
os.environ.pop("LAMAP_DATABASE_URL", None)  # always sqlite, in WORK_DIR
os.environ.pop("WORKBENCH_DATABASES", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def fresh_database(path):
    """A new, migrated sqlite database file; the default connection now points to it."""
    connections.close_all()
    connection.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)


def median_ms(call, repeat, budget, minimum):
    """Median of ``repeat`` calls, or of fewer (at least ``minimum``) once they take more than ``budget`` seconds."""
    times = []
    deadline = time.perf_counter() + budget
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        if len(times) >= minimum and start > deadline:
            break
    return statistics.median(times)


def queries_of(call):
    """The SQL a call runs, and what it returns."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return [query["sql"] for query in captured.captured_queries], result
