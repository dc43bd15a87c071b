"""
Shared fixtures. Unit tests run blocks on XBlock core's TestRuntime with an in-memory
field store; Django is configured with the demo settings, and the investigation store
runs on a test database (sqlite in memory, or LAMAP_TEST_DB's MySQL-family server)
rolled back after each test.
"""

import contextlib
import json
import os
import tempfile

os.environ.setdefault("LAMAP_VAR_DIR", tempfile.mkdtemp(prefix="lamap-test-var-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lamap_xblocks.demo.settings")
# Playwright's sync API keeps an event loop running in this thread for the whole session;
# Django then refuses ORM calls "from an async context" although every test here is
# synchronous. Its documented switch for such hosts (notebooks, REPLs) lifts the check.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if os.environ.get("LAMAP_TEST_DB"):
    os.environ["LAMAP_DATABASE_URL"] = os.environ["LAMAP_TEST_DB"]

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402
from django.utils import translation  # noqa: E402
from webob import Request  # noqa: E402
from xblock.fields import ScopeIds  # noqa: E402
from xblock.runtime import DictKeyValueStore, KvsFieldData  # noqa: E402
from xblock.test.tools import TestRuntime  # noqa: E402

from lamap_xblocks.analysis import AnalysisBlock  # noqa: E402
from lamap_xblocks.argumentation import ArgumentationBlock  # noqa: E402
from lamap_xblocks.experiment import ExperimentBlock  # noqa: E402
from lamap_xblocks.hypothesis import HypothesisBlock  # noqa: E402
from lamap_xblocks.notebook import NotebookBlock  # noqa: E402
from lamap_xblocks.question import QuestionBlock  # noqa: E402

BLOCKS = {
    "lamap_question": QuestionBlock,
    "lamap_hypothesis": HypothesisBlock,
    "lamap_experiment": ExperimentBlock,
    "lamap_argumentation": ArgumentationBlock,
    "lamap_analysis": AnalysisBlock,
}
ALL_BLOCKS = dict(BLOCKS, lamap_notebook=NotebookBlock)
# Authored content a block needs before a learner can work in it (make_block adds it unless given).
AUTHORED = {
    "lamap_analysis": {
        "transcript": "Teacher: What did you notice?\nSam: The sugar disappeared.\nAva: But the water tastes sweet!",
        "criteria": ["A productive question", "Evidence of a misconception"],
        "min_marks": 1,
    },
}


@pytest.fixture(scope="session")
def django_db():
    """The store's tables, created once per session on a test database."""
    from django.test.utils import setup_databases, teardown_databases

    config = setup_databases(verbosity=0, interactive=False)
    yield
    teardown_databases(config, verbosity=0)


@pytest.fixture(autouse=True)
def db(request):
    """
    Each test in a transaction rolled back at its end: tests never see each other's rows.
    Browser tests talk to the demo server, never to this database.
    """
    if request.node.get_closest_marker("browser"):
        yield
        return
    request.getfixturevalue("django_db")
    from django.db import connection, transaction

    connection.queries_log.clear()  # the demo settings log queries: the log's limit is per test, not per session
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class FakeUserService:
    """What Open edX's user service tells blocks: anonymous id and staff flag, per user id."""

    def __init__(self):
        self.staff = set()
        self.time_zones = {}  # user id -> IANA name, as learners set it in their account

    def get_current_user(self):
        from xblock.reference.user_service import XBlockUser

        user = XBlockUser(is_current_user=True, emails=[], full_name="")
        uid = self.runtime_user_id()
        user.opt_attrs.update(
            {"edx-platform.anonymous_user_id": f"anon-{uid}", "edx-platform.user_is_staff": uid in self.staff}
        )
        if uid in self.time_zones:
            user.opt_attrs["edx-platform.user_preferences"] = {"time_zone": self.time_zones[uid]}
        return user

    def runtime_user_id(self):
        return self.current


@pytest.fixture
def users(runtime):
    """The runtime's user service: ``users.staff.add("staff-1")`` makes that user staff."""
    return runtime.users


class DjangoI18nService:
    """The platform's fallback i18n service: Django's translation functions."""

    def __getattr__(self, name):
        return getattr(translation, name)


class RecordingRuntime(TestRuntime):
    """XBlock core's test runtime, recording published events."""

    def __init__(self):
        # A key-value store keyed by scope ids, so two blocks never share fields.
        field_data = KvsFieldData(DictKeyValueStore())
        self.users = FakeUserService()
        super().__init__(services={"field-data": field_data, "i18n": DjangoI18nService(), "user": self.users})
        self.events = []

    def service(self, block, service_name):
        if service_name == "user":
            self.users.current = block.scope_ids.user_id
        return super().service(block, service_name)

    def publish(self, block, event_type, event_data):
        self.events.append((event_type, event_data))

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}"

    def resource_url(self, resource):
        return f"/static/{resource}"

    def event_names(self):
        return [name for name, _ in self.events]


@pytest.fixture
def runtime():
    return RecordingRuntime()


@pytest.fixture
def make_block(runtime):
    """make_block("lamap_question", display_name=...) -> a block with those authored fields."""
    counter = iter(range(1000))

    def make(block_type, **fields):
        number = next(counter)
        keys = ScopeIds("student-1", block_type, f"def-{block_type}-{number}", f"usage-{block_type}-{number}")
        block = runtime.construct_xblock_from_class(ALL_BLOCKS[block_type], keys)
        for name, value in dict(AUTHORED.get(block_type, {}), **fields).items():
            setattr(block, name, value)
        block.save()  # authored fields reach the store, where other users' blocks read them
        return block

    return make


def as_user(block, user_id):
    """The same block (same authored fields) as another user sees it."""
    keys = block.scope_ids._replace(user_id=user_id)
    return block.runtime.construct_xblock_from_class(type(block), keys)


def call(block, handler, data=None, method="POST", raw=None):
    """Call a handler as the runtime would: returns (status code, decoded JSON body)."""
    body = raw if raw is not None else json.dumps(data if data is not None else {}).encode("utf-8")
    request = Request.blank("/", method=method, body=body if method == "POST" else None)
    if method == "POST":
        request.content_type = "application/json"
    response = block.handle(handler, request)
    try:
        payload = response.json
    except ValueError:
        payload = None
    return response.status_code, payload


def user_state(block):
    """The learner's fields, for before/after comparisons."""
    from xblock.fields import Scope

    return {
        name: json.dumps(field.read_from(block), sort_keys=True)
        for name, field in block.fields.items()
        if field.scope == Scope.user_state
    }


# A complete, valid piece of work for each block, and how to make each one invalid.
VALID_WORK = {
    "lamap_question": {
        "questions": ["Why does the ruler float?", "Do heavy things always sink?"],
        "chosen_question": 1,
        "testable": "yes",
        "testable_reason": "We can weigh objects and put them in water.",
    },
    "lamap_hypothesis": {
        "hypotheses": [
            {
                "id": "h1",
                "idea": "I think that light objects float.",
                "reason": "because the water holds them up.",
                "prediction": "If I put a heavy log in water, then I will observe that it sinks.",
                "confidence": 3,
            }
        ]
    },
    "lamap_experiment": {
        "changed_variable": "the water temperature",
        "changed_values": ["cold", "hot"],
        "measured_variables": ["the time for the sugar to dissolve"],
        "controlled_variables": ["the amount of water", "the size of the sugar cube"],
        "materials": ["3 glasses", "sugar cubes", "a thermometer"],
        "protocol": ["Heat the water", "Drop the cube", "Start the stopwatch"],
        "prediction": "The sugar dissolves faster in hot water.",
        "rows": [{"condition": "cold", "result": "95"}, {"condition": "hot", "result": "30,5"}],
        "observations": "The hot water swirled.",
    },
    "lamap_analysis": {
        "marks": [{"target": {"start": 2, "end": 2}, "criterion": 1, "comment": "Sam thinks the sugar is gone."}],
        "written_feedback": "Ask Sam how he could find out whether the sugar is still there.",
        "judgements": {"1": "partly", "2": "clearly"},
        "overall": "A rich moment: a misconception surfaces and a pupil challenges it.",
    },
    "lamap_argumentation": {
        "claim": "Weight alone does not decide whether an object floats.",
        "evidence": [{"text": "The heavy log floated."}, {"text": "The light key sank."}],
        "reasoning": "A heavy object can float, so something else than weight matters.",
        "limitations": "We tested only five objects.",
        "criteria_checked": [],
    },
}

# Where each block's work has a text field and a list field, for generic bad-input tests.
TEXT_PATH = {
    "lamap_question": ("testable_reason",),
    "lamap_hypothesis": ("hypotheses", 0, "idea"),
    "lamap_experiment": ("prediction",),
    "lamap_argumentation": ("claim",),
    "lamap_analysis": ("overall",),
}
LIST_FIELD = {
    "lamap_question": "questions",
    "lamap_hypothesis": "hypotheses",
    "lamap_experiment": "materials",
    "lamap_argumentation": "evidence",
    "lamap_analysis": "marks",
}


def with_value(work, path, value):
    """A deep copy of ``work`` with the value at ``path`` replaced."""
    import copy

    changed = copy.deepcopy(work)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def value_at(work, path):
    for key in path:
        work = work[key]
    return work


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """
    The demo as `make demo` runs it (workbench, sqlite in its own var/), on a free port.
    Yields the base URL; stops the server at the end of the session.
    """
    import sys

    from .servers import free_port, serving

    port = free_port()
    workdir = tmp_path_factory.mktemp("demo")
    env = dict(os.environ, LAMAP_VAR_DIR=str(workdir / "var"), PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    demo = [sys.executable, "-m", "lamap_xblocks.demo", "--port", str(port)]
    with serving(demo, port, workdir, env, name="the demo server") as (base, _process):
        yield base


# ----- headless Chromium (tests marked "browser") ---------------------------------------------

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, once per session (its sync API starts once per thread)."""
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    required = os.environ.get("LAMAP_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if not executable or sync_playwright is None:
        message = "Chromium or Playwright is not installed"
        if required:
            pytest.fail(message + " and LAMAP_REQUIRE_BROWSER=1")
        pytest.skip(message)
    playwright = sync_playwright().start()
    instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
    yield instance
    instance.close()
    playwright.stop()


def recorded_tab(browser, base, viewport):
    """
    A new tab in a browser context of its own (its own cookies) on ``base``, recording in
    ``tab.errors`` every script error, console error and failed request (as "status url").
    """
    context = browser.new_context(viewport=viewport, locale="en-US")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("response", lambda reply: tab.errors.append(f"{reply.status} {reply.url}") if reply.status >= 400 else None)
    tab.base = base
    return context, tab


@contextlib.contextmanager
def recording_tabs(browser, base, allowed=()):
    """
    Yields open_tab(viewport) -> a recorded tab on ``base``. On leaving, every tab is closed
    and none may have had an unexpected error (see unexpected_errors).
    """
    opened = []

    def open_tab(viewport):
        context, tab = recorded_tab(browser, base, viewport)
        opened.append((context, tab))
        return tab

    yield open_tab
    errors = []
    for context, tab in opened:
        context.close()
        errors += unexpected_errors(tab.errors, allowed)
    assert errors == []


def unexpected_errors(errors, allowed=()):
    """
    A tab's errors but the console's own line for a failed load (it does not say which; the
    response was recorded with its URL), a favicon, and those starting with ``allowed``.
    """
    return [
        error
        for error in errors
        if not error.startswith(("Failed to load resource", *allowed)) and "favicon" not in error
    ]


@pytest.fixture
def tabs(browser, demo_server):
    """
    tabs(student=None) -> a new phone-sized tab in a browser context of its own (its own
    cookies), on the demo, for a student id (unique by default). At the end, no tab may
    have had a script error, a console error or an unexpected failed request.
    """
    import uuid

    # Refused submissions are 400s on purpose.
    with recording_tabs(browser, demo_server, allowed=("400 ",)) as open_tab:

        def open_phone_tab(student=None):
            tab = open_tab({"width": 390, "height": 844})  # a phone
            tab.student = student or "keyboard-" + uuid.uuid4().hex[:8]
            return tab

        yield open_phone_tab


@pytest.fixture
def page(tabs):
    return tabs()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # pylint: disable=unused-argument
    """Under CI (LAMAP_NO_SKIPS=1) a skipped test is a failure: a missing tool must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("LAMAP_NO_SKIPS") == "1" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (LAMAP_NO_SKIPS=1), which allows no skip: {reason}"
