"""
Our submit beside xblock-poll's vote, live: the demo server as `make demo` runs it, many
learners at once, through HTTP.

    .venv/bin/python bench/live.py [--concurrency 16 64] [--learners 256]
    LAMAP_DATABASE_URL=mysql://user:password@127.0.0.1:3306/lamap .venv/bin/python bench/live.py
    .venv/bin/python bench/live.py --profile 200 [--top 15] [--dump /tmp/live]
    .venv/bin/python bench/live.py --parts 200   # what each part of our submit costs
    PYTHONPATH=/tmp/mine .venv/bin/python bench/live.py --settings my_settings   # a change, A/B

The server is a subprocess (``python -m lamap_xblocks.demo`` on a free port) with its data in
a temporary LAMAP_VAR_DIR: sqlite there by default; on the MySQL-family server that
LAMAP_DATABASE_URL names, in a scratch database ``test_<name>_live_<hex>`` created for the
run and dropped after it (``--reuse-database`` uses the URL's database as it is instead).

For each concurrency (learners sending at once), new learners (``--learners`` of them):
  ours  submit_step  each learner submits the investigation's question step (scenario
                     lamap_notebook.0, shared with the class board), once;
        board_page   each learner then reads the first page of the class board;
  poll  vote         each learner votes once in xblock-poll's default poll (scenario poll.0,
                     on the same server and database; hidden from the demo's index only);
        get_results  each learner then reads the poll's results.
The two paths take turns going first. Requests per second, median and 95th-percentile
latency, and the server's CPU time per request, per handler; the ratio of our submit's
throughput to poll's vote's is the figure that matters: poll's vote, on the same server in
the same run, is the reference. A second ratio compares one learner action each: our submit
(its reply carries the feedback and the class board) against poll's vote + get_results
(what poll's page sends to show the class's answers).

Then what was kept: ours through what staff see (the staff CSV: one version 1 row per
learner; the board's count: one contribution per learner), poll's through its tally against
the votes it accepted. ``--profile N`` runs N submissions and N votes in this process instead
(Django's test client through the demo's URLs, middleware and workbench runtime, under
cProfile; unlike runserver, which opens a database connection per request, it keeps one) and
prints where the time goes.

Goals: our submit at least as fast as poll's vote (ratio >= 1.0x) at every concurrency;
no submission lost or counted twice. Poll keeps its tally in Scope.user_state_summary,
last-writer-wins: the votes it loses are shown for comparison, they are not ours to fix.
A benchmark, not a test: the figures depend on the machine; compare runs made on the same one.
"""

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lamap_xblocks.demo.services import anonymous_id  # noqa: E402
from tests.servers import free_port, serving  # noqa: E402
from tests.test_concurrency import QUESTION_PAGE  # noqa: E402  # the question step, shared with the class
from tests.test_concurrency import Client as ConcurrentClient  # noqa: E402

POLL_PAGE = "poll.0"  # xblock-poll's own "Default Poll" scenario
POLL_CHOICES = ("R", "B", "G", "O")  # its default answers
STAFF = "staff-live"  # the demo's user service: ids starting with "staff" are course staff


def question_work(learner):
    """tests/conftest.py VALID_WORK["lamap_question"], with a question of the learner's own."""
    return {
        "questions": ["Why does the ruler float?", f"Do heavy things always sink, like object {learner}?"],
        "chosen_question": 1,
        "testable": "yes",
        "testable_reason": "We can weigh objects and put them in water.",
    }


# ----- the server and its database ------------------------------------------------------------


def mysql_connect(url, database=None):
    import pymysql  # noqa: PLC0415  # only for a MySQL-family run

    parts = urlparse(url)
    return pymysql.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 3306,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


@contextlib.contextmanager
def database(url, reuse):
    """(URL for the server or "", description): a scratch MySQL database for the run, or sqlite."""
    if not url:
        yield "", f"sqlite {sqlite3.sqlite_version}"
        return
    if not url.startswith("mysql://"):
        sys.exit(f"LAMAP_DATABASE_URL must be mysql://user:password@host:port/name, not {url!r}")
    parts = urlparse(url)
    connection = mysql_connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            version = cursor.fetchone()[0]
        described = f"{'MariaDB' if 'mariadb' in version.lower() else 'MySQL'} {version.split('-')[0]}"
        if reuse:
            yield url, f"{described}, database {parts.path.lstrip('/')} (reused)"
            return
        # Django's test databases are named test_*: a CI user may create those.
        name = f"test_{parts.path.lstrip('/') or 'lamap'}_live_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        try:
            yield parts._replace(path="/" + quote(name)).geturl(), f"{described}, scratch database {name}"
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        connection.close()


@contextlib.contextmanager
def demo_server(workdir, database_url, settings_module=None):
    """The demo (``python -m lamap_xblocks.demo``) on a free port; yields (base URL, process)."""
    port = free_port()
    env = dict(os.environ, LAMAP_VAR_DIR=str(workdir / "var"), PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("WORKBENCH_DATABASES", None)
    env.pop("LAMAP_DATABASE_URL", None)
    if settings_module:  # the demo's main only sets its own when none is given
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    if database_url:
        env["LAMAP_DATABASE_URL"] = database_url
    demo = [sys.executable, "-m", "lamap_xblocks.demo", "--port", str(port)]
    with serving(demo, port, workdir, env, startup=120, name="the demo server") as served:
        yield served


# ----- learners ---------------------------------------------------------------------------------


class Client(ConcurrentClient):
    """The concurrency tests' client (a session per thread, one CSRF cookie), timed, as staff."""

    def __init__(self, base, server_pid):
        super().__init__(base)
        self.server_pid = server_pid  # its CPU time is read around each phase

    def usage(self, scenario, student=STAFF):
        return super().usage(scenario, student)

    def timed(self, usage, handler, student, payload):
        """(seconds, status, JSON reply or None)."""
        start = time.perf_counter()
        try:
            response = self.call(usage, handler, student, payload)
        except requests.RequestException as error:
            return time.perf_counter() - start, type(error).__name__, None
        elapsed = time.perf_counter() - start
        try:
            body = response.json()
        except ValueError:
            body = None
        return elapsed, response.status_code, body

    # what staff see (the staff CSV: the concurrency tests' staff_csv)
    def board_total(self, usage):
        reply = self.call(usage, "board_page", STAFF, {"page": 1, "order": "newest"})
        reply.raise_for_status()
        return int(re.search(r"(\d+) contributions?, shared anonymously", reply.json()["board_html"]).group(1))

    def poll_total(self, usage):
        reply = self.call(usage, "get_results", STAFF, {})
        reply.raise_for_status()
        return sum(entry["count"] for entry in reply.json()["tally"])


def cpu_seconds(pid):
    """User + system CPU time of a process so far (Linux's /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Phase:
    """The figures of one handler at one concurrency."""

    def __init__(self, name, results, wall, cpu=None):
        self.name = name
        self.cpu = cpu  # the server's CPU seconds during the phase
        self.latencies = [seconds * 1000 for seconds, _status, _body in results]
        self.statuses = [status for _seconds, status, _body in results]
        self.bodies = [body for _seconds, _status, body in results]
        self.wall = wall

    @property
    def rps(self):
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, share):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]

    @property
    def errors(self):
        return sum(status != 200 for status in self.statuses)


def run_phase(name, client, concurrency, items, call):
    """``call(item)`` for every item, ``concurrency`` at once; all start together."""
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda _n: time.sleep(0.01), range(concurrency)))  # all threads up first
        cpu_before = cpu_seconds(client.server_pid)
        start = time.perf_counter()
        results = list(pool.map(call, items))
        wall = time.perf_counter() - start
        cpu_after = cpu_seconds(client.server_pid)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return Phase(name, results, wall, cpu)


def our_phases(client, usage, concurrency, students):
    submit = run_phase(
        "ours: submit_step",
        client,
        concurrency,
        students,
        lambda student: client.timed(usage, "submit_step", student, question_work(student)),
    )
    board = run_phase(
        "ours: board_page",
        client,
        concurrency,
        students,
        lambda student: client.timed(usage, "board_page", student, {"page": 1, "order": "newest"}),
    )
    return [submit, board]


def poll_phases(client, usage, concurrency, students, rng):
    choices = {student: rng.choice(POLL_CHOICES) for student in students}
    vote = run_phase(
        "poll: vote",
        client,
        concurrency,
        students,
        lambda student: client.timed(usage, "vote", student, {"choice": choices[student]}),
    )
    results = run_phase(
        "poll: get_results",
        client,
        concurrency,
        students,
        lambda student: client.timed(usage, "get_results", student, {}),
    )
    return [vote, results]


def report_level(concurrency, phases):
    for phase in phases:
        errors = f"{phase.errors} failed" if phase.errors else ""
        if phase.cpu is None:
            cpu = f"{'-':>8} {'-':>6}"
        else:
            cpu = f"{phase.cpu / len(phase.latencies) * 1000:>8.1f} {phase.cpu / phase.wall:>6.0%}"
        print(
            f"{concurrency:>11} {phase.name:<18} {len(phase.latencies):>8} {phase.rps:>8.1f} "
            f"{statistics.median(phase.latencies):>8.1f} {phase.percentile(0.95):>8.1f} {cpu}  {errors}".rstrip()
        )
    submit, vote, results = phases[0], phases[2], phases[3]
    goal = "goal met" if submit.rps >= vote.rps else "below the goal"
    print(f"{'':>11} submit / vote throughput: {submit.rps / vote.rps:.2f}x  (goal >= 1.0x: {goal})")
    # Poll's page sends vote then get_results to show the class's answers; our submit's reply
    # already carries the feedback and the class board.
    poll_action = 1 / (1 / vote.rps + 1 / results.rps)
    print(f"{'':>11} per learner action, submit / (vote + get_results): {submit.rps / poll_action:.2f}x")


def live(args):
    rng = random.Random(1)
    run = uuid.uuid4().hex[:6]
    levels = sorted(set(args.concurrency))
    workdir = Path(tempfile.mkdtemp(prefix="lamap-bench-live-"))
    try:
        with database(os.environ.get("LAMAP_DATABASE_URL", ""), args.reuse_database) as (url, described):
            with demo_server(workdir, url, args.settings) as (base, process):
                client = Client(base, process.pid)
                question, poll = client.usage(QUESTION_PAGE), client.usage(POLL_PAGE)
                # Warm up both paths (templates, translations, first queries), one learner each.
                warm = f"live-{run}-warm"
                for usage, handler, payload in (
                    (question, "submit_step", question_work(warm)),
                    (question, "board_page", {"page": 1, "order": "newest"}),
                    (poll, "vote", {"choice": "R"}),
                    (poll, "get_results", {}),
                ):
                    _seconds, status, body = client.timed(usage, handler, warm, payload)
                    if status != 200:
                        log = (workdir / "server.log").read_text()[-3000:]
                        sys.exit(f"{handler} answered {status}: {body}\n{log}")
                board_before, poll_before = client.board_total(question), client.poll_total(poll)
                print(
                    f"the demo server (pid {process.pid}) on {described}; {args.learners} new learners per "
                    f"concurrency and path, each sending one request per handler"
                )
                print("ratios: our submit_step's requests per second over poll's vote's, in the same run\n")
                print(
                    "CPU ms: the server's CPU time (user + system) per request; busy: that time over the phase's "
                    "duration (well under 100%: requests wait, e.g. on a lock; over 100%: system time, the driver)\n"
                )
                print(
                    f"{'concurrency':>11} {'handler':<18} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
                    f"{'CPU ms':>8} {'busy':>6}"
                )
                students, votes_accepted = [], 0
                for number, concurrency in enumerate(levels):
                    learners = [f"live-{run}-c{concurrency}-{n}" for n in range(max(args.learners, concurrency))]
                    if number % 2 == 0:  # take turns going first
                        phases = our_phases(client, question, concurrency, learners)
                        phases += poll_phases(client, poll, concurrency, learners, rng)
                    else:
                        later = poll_phases(client, poll, concurrency, learners, rng)
                        phases = our_phases(client, question, concurrency, learners) + later
                    report_level(concurrency, phases)
                    students += learners
                    votes_accepted += sum(bool(body and body.get("success")) for body in phases[2].bodies)
                kept(
                    client,
                    question=question,
                    poll=poll,
                    students=students,
                    board_before=board_before,
                    poll_before=poll_before,
                    votes_accepted=votes_accepted,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def kept(client, *, question, poll, students, board_before, poll_before, votes_accepted):
    """What the store and poll's tally kept, against what was sent (after the warm-up)."""
    ours = {anonymous_id(student) for student in students}
    rows = [row for row in client.staff_csv(question) if row["anonymous_user_id"] in ours and row["step"] == "question"]
    per_learner = {}
    for row in rows:
        per_learner.setdefault(row["anonymous_user_id"], []).append(row["version"])
    lost = len(ours) - len(per_learner)
    duplicated = sum(len(versions) - 1 for versions in per_learner.values())
    not_first = sum(versions != ["1"] for versions in per_learner.values())
    board = client.board_total(question) - board_before
    tally = client.poll_total(poll) - poll_before
    sent = len(students)
    print(
        f"\nours: {sent} submissions sent; staff CSV: {len(rows)} rows for them ({lost} lost, {duplicated} "
        f"duplicated, {not_first} learners without exactly one version 1); board count +{board} "
        + (f"({sent - board} lost)" if board <= sent else f"({board - sent} counted twice)")
    )
    missing = votes_accepted - tally
    print(
        f"poll: {sent} votes sent, {votes_accepted} accepted; tally +{tally} "
        + (f"({missing} lost)" if missing >= 0 else f"({-missing} counted twice)")
    )


# ----- profile -------------------------------------------------------------------------------------


@contextlib.contextmanager
def in_process(args):
    """The demo's Django app in this process: yields post(usage, handler, student, payload) and the two usages."""
    workdir = Path(tempfile.mkdtemp(prefix="lamap-bench-live-"))
    try:
        with database(os.environ.get("LAMAP_DATABASE_URL", ""), args.reuse_database) as (url, described):
            os.environ["LAMAP_VAR_DIR"] = str(workdir / "var")
            os.environ["DJANGO_SETTINGS_MODULE"] = args.settings or "lamap_xblocks.demo.settings"
            os.environ.pop("WORKBENCH_DATABASES", None)
            os.environ.pop("LAMAP_DATABASE_URL", None)
            if url:
                os.environ["LAMAP_DATABASE_URL"] = url
            sys.path.insert(0, str(ROOT))
            import django  # noqa: PLC0415

            django.setup()
            from django.core.management import call_command  # noqa: PLC0415
            from django.db import connections  # noqa: PLC0415
            from django.test import Client as DjangoClient  # noqa: PLC0415

            call_command("migrate", "--run-syncdb", verbosity=0)
            django_client = DjangoClient()

            def usage(scenario):
                page = django_client.get(f"/scenario/{scenario}/", {"student": STAFF})
                (found,) = re.findall(r"data-usage='([^']+)'", page.content.decode())
                return found

            def post(usage_id, handler, student, payload):
                response = django_client.post(
                    f"/handler/{usage_id}/{handler}/?student={student}",
                    json.dumps(payload),
                    content_type="application/json",
                )
                assert response.status_code == 200, (handler, response.status_code, response.content[:500])

            yield post, usage(QUESTION_PAGE), usage(POLL_PAGE), described
            connections.close_all()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def profile(args):
    """N submissions and N votes in this process, through Django's test client, under cProfile."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    with in_process(args) as (post, question, poll, described):
        cases = {
            "ours: submit_step of lamap_question": (question, "submit_step", question_work),
            "poll: vote": (poll, "vote", lambda _student: {"choice": "R"}),
        }
        print(f"in-process profile on {described}: {args.profile} requests per handler (a warm-up first)")
        for name, (usage_id, handler, payload) in cases.items():
            post(usage_id, handler, f"prof-warm-{handler}", payload(f"prof-warm-{handler}"))
            students = [f"prof-{handler}-{n}" for n in range(args.profile)]
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for student in students:
                post(usage_id, handler, student, payload(student))
            profiler.disable()
            wall = time.perf_counter() - start
            print(f"\n{name}: {wall / args.profile * 1000:.2f} ms a request under the profiler")
            print_profile(pstats.Stats(profiler), args.top)
            if args.dump:
                path = f"{args.dump}-{handler}.prof"
                profiler.dump_stats(path)
                print(f"  saved: {path} (python -m pstats {path}, or snakeviz)")


def parts(args):
    """
    What each part of our submit costs: N submissions with the parts switched off one after
    another (cumulatively), beside N votes, in this process and without a profiler.
    """
    with in_process(args) as (post, question, poll, described):
        from lamap_xblocks import sharing, store  # noqa: PLC0415
        from lamap_xblocks.question import QuestionBlock  # noqa: PLC0415

        for n in range(20):  # a board with a page of contributions, as in the live run
            post(question, "submit_step", f"parts-warm-{n}", question_work(f"parts-warm-{n}"))
            post(poll, "vote", f"parts-warm-{n}", {"choice": "R"})

        def per_request(usage_id, handler, payload, tag):
            start = time.perf_counter()
            for n in range(args.parts):
                post(usage_id, handler, f"parts-{tag}-{n}", payload(f"parts-{tag}-{n}"))
            return (time.perf_counter() - start) / args.parts * 1000

        vote = per_request(poll, "vote", lambda _student: {"choice": "R"}, "vote")
        print(f"in-process, no profiler, {described}: {args.parts} requests each, ms a request")
        print(f"  {'poll: vote':58s} {vote:6.2f} ms   1.00x")
        switched_off = [
            ("ours: submit_step, everything", None),
            (
                "  without the class board in the reply",
                (sharing.ClassBoardMixin, "board_context", lambda *_a, **_k: None),
            ),
            ("  and without rendering the feedback", (QuestionBlock, "render_feedback", lambda self: "")),
            ("  and without the board's contribution", (store, "contribute", lambda **k: (None, True))),
            ("  and without the record, the dashboard's counts", (store, "record_step", lambda **k: None)),
        ]
        saved = []
        try:
            for index, (label, patch) in enumerate(switched_off):
                if patch:
                    owner, name, replacement = patch
                    saved.append((owner, name, getattr(owner, name)))
                    setattr(owner, name, replacement)
                ours = per_request(question, "submit_step", question_work, f"ours{index}")
                print(f"  {label:58s} {ours:6.2f} ms   {vote / ours:.2f}x")
        finally:
            for owner, name, original in reversed(saved):
                setattr(owner, name, original)


AREAS = [  # (area, path fragment), first match wins: where a function's own time goes
    ("lamap_xblocks", "/lamap_xblocks/"),
    ("django templates", "/django/template/"),
    ("django translation", "/django/utils/translation/"),
    ("django db / ORM", "/django/db/"),
    ("database driver", "/pymysql/"),
    ("workbench", "/workbench/"),
    ("xblock core", "/xblock/"),
    ("django other", "/django/"),
    ("webob", "/webob/"),
    ("json", "/json/"),
    ("python: gettext", "gettext.py"),
    ("python: logging", "/logging/"),
]


# Builtins whose cumulative time is their callers' (len() of a QuerySet runs the query).
SKIPPED_BUILTINS = ("<built-in method builtins.exec>", "<built-in method builtins.len>")


def area_of(filename, function):
    if filename == "~":  # builtins: the database's C code and sockets, else mostly the ORM's getattr/isinstance
        if any(name in function for name in ("sqlite3", "SQLiteCursorWrapper", "recv_into", "_socket")):
            return "database driver"
        return "builtins"
    for area, fragment in AREAS:
        if fragment in filename:
            return area
    return "other"


def short(filename):
    for marker in ("/site-packages/", "/lamap_xblocks/", "/lib/python3"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return ("lamap_xblocks/" + tail) if marker == "/lamap_xblocks/" else tail
    return filename


# The request's way in (test client, middleware, views, the runtime's dispatch) is in every row's time.
PLUMBING = (
    "cProfile",
    "/django/test/",
    "/django/core/handlers/",
    "/django/utils/deprecation.py",
    "/workbench/views.py",
    __file__,
    "contextlib.py",
    "threading.py",
)
# Whose functions the second list keeps: the blocks, the runtime and field data, templates and translations.
OWNERS = ("/lamap_xblocks/", "/poll/", "/workbench/", "/xblock/", "/django/template/", "/django/utils/translation/")


def print_top(title, rows, total, top, keep):
    print(f"  {title}:")
    print(f"  {'cum %':>6} {'own %':>6} {'calls':>7}  function (file:line)")
    shown = 0
    for (filename, line, function), (_cc, calls, own, cumulative, _callers) in rows:
        if any(part in filename for part in PLUMBING) or function in SKIPPED_BUILTINS or not keep(filename):
            continue
        print(f"  {cumulative / total:>6.1%} {own / total:>6.1%} {calls:>7}  {function} ({short(filename)}:{line})")
        shown += 1
        if shown >= top:
            break


def print_profile(stats, top):
    """The top functions by cumulative time (share of the profiled time), then own time by area."""
    entries = stats.stats  # {(file, line, name): (primitive calls, calls, own, cumulative, callers)}
    total = sum(own for _cc, _nc, own, _cum, _callers in entries.values()) or 1.0
    rows = sorted(entries.items(), key=lambda item: item[1][3], reverse=True)
    print_top(
        f"top {top} by cumulative time (share of all profiled time; request plumbing left out)",
        rows,
        total,
        top,
        lambda _filename: True,
    )
    print_top(
        f"top {top} of the blocks, the runtime and its field data, templates and translations (no ORM internals)",
        rows,
        total,
        top,
        lambda filename: any(owner in filename for owner in OWNERS),
    )
    areas = {}
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in entries.items():
        area = area_of(filename, function)
        areas[area] = areas.get(area, 0.0) + own
    ranked = sorted(areas.items(), key=lambda item: -item[1])
    print("  own time by area: " + ", ".join(f"{area} {own / total:.0%}" for area, own in ranked if own >= total / 100))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64], help="learners sending at once")
    parser.add_argument("--learners", type=int, default=256, help="new learners per concurrency and path")
    parser.add_argument(
        "--reuse-database", action="store_true", help="MySQL: use LAMAP_DATABASE_URL's database, not a scratch one"
    )
    parser.add_argument(
        "--settings",
        metavar="MODULE",
        help="Django settings module for the server instead of the demo's (importable through PYTHONPATH): "
        "to compare a change with the demo as it is",
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile N submissions and N votes in this process")
    parser.add_argument("--top", type=int, default=15, help="functions shown per profile")
    parser.add_argument("--dump", metavar="PREFIX", help="with --profile: also save PREFIX-<handler>.prof")
    parser.add_argument(
        "--parts", type=int, metavar="N", help="time N submissions with each part switched off in turn, beside N votes"
    )
    args = parser.parse_args()
    if args.profile:
        profile(args)
    elif args.parts:
        parts(args)
    else:
        live(args)


if __name__ == "__main__":
    main()
