"""
The trainer's view of a class's investigation, computed from the store's submissions.

Plain functions of (course, investigation) returning plain data, for the staff view to
render: the progress grid (learners × steps, paged and filtered in SQL, so a page costs
the same few queries whatever the class size), indicators per step, and the learners
who need attention. Learners are anonymous ids, as everywhere.
"""

import math
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.db.models import Max

from . import store

STEPS = ("question", "hypothesis", "experiment", "argumentation")
PAGE_SIZE = 50
CITED = re.compile(r"(row|prediction)-\d+")


class FilterError(ValueError):
    """A filter or page the grid cannot show (the handler answers 400 with it)."""


def submissions(course_id, investigation):
    return store.models().StepRecord.objects.filter(course_id=course_id, investigation=investigation)


def progress(course_id, investigation, *, page=1, submitted=(), missing=()):
    """
    One page of the grid: for each learner (anonymous id, in order), each step's state:
    ``None`` (not submitted), or ``{"versions": n, "date": datetime}`` (submitted; revised
    when n > 1). Filters keep learners who submitted every step of ``submitted`` and none
    of ``missing`` ("submitted the experiment but no argument").
    """
    unknown = [step for step in (*submitted, *missing) if step not in STEPS]
    if unknown:
        raise FilterError(f"unknown step: {', '.join(unknown)}")
    if not isinstance(page, int) or page < 1:
        raise FilterError("the page must be a whole number from 1")
    records = submissions(course_id, investigation)
    learners = records.values_list("learner", flat=True).distinct()
    for step in submitted:
        learners = learners.filter(learner__in=records.filter(step=step).values("learner"))
    for step in missing:
        learners = learners.exclude(learner__in=records.filter(step=step).values("learner"))
    total = learners.count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        raise FilterError(f"there are {pages} pages")
    shown = list(learners.order_by("learner")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    cells = (
        records.filter(learner__in=shown)
        .values("learner", "step")
        .annotate(versions=Max("version"), date=Max("created"))
    )
    grid = {learner: dict.fromkeys(STEPS) for learner in shown}
    for cell in cells:
        if cell["step"] in STEPS:
            grid[cell["learner"]][cell["step"]] = {"versions": cell["versions"], "date": cell["date"]}
    return {"rows": [(learner, grid[learner]) for learner in shown], "total": total, "page": page, "pages": pages}


def latest(course_id, investigation, step):
    """Each learner's latest record of a step (one query)."""
    return {
        record.learner: record
        for record in submissions(course_id, investigation).filter(step=step).order_by("learner", "version", "id")
    }


def share(part, whole):
    return round(100 * part / whole) if whole else None


def indicators(course_id, investigation):
    """The class's indicators per step, from each learner's latest submission (shares in %)."""
    from .experiment import condition_values, fair_test_checks, has_prediction, trial_numbers

    questions, hypotheses = latest(course_id, investigation, "question"), latest(course_id, investigation, "hypothesis")
    experiments, arguments = (
        latest(course_id, investigation, "experiment"),
        latest(course_id, investigation, "argumentation"),
    )

    chosen = Counter()
    investigable = 0
    for record in questions.values():
        work = record.work
        index = work.get("chosen_question")
        items = work.get("questions") or []
        if index is not None and index < len(items):
            chosen[" ".join(items[index].split())] += 1
        investigable += work.get("testable") == "yes"

    complete = verdicts = 0
    verdict_counts, before, after = Counter(), [], []
    first_confidence = {
        record.learner: record
        for record in submissions(course_id, investigation).filter(step="hypothesis").order_by("learner", "-version")
    }
    for learner, record in hypotheses.items():
        items = record.work.get("hypotheses") or []
        complete += bool(items) and all(item.get("reason") and item.get("prediction") for item in items)
        for item in items:
            verdict_counts[item.get("verdict") or "none"] += 1
            verdicts += bool(item.get("verdict"))
        first = first_confidence[learner].work.get("hypotheses") or []
        if first and items and first[0].get("confidence") and items[0].get("confidence"):
            before.append(first[0]["confidence"])
            after.append(items[0]["confidence"])

    passing = Counter()
    trials = []
    for record in experiments.values():
        work = dict(record.work)
        work.setdefault("changed_values", [])
        columns = work.get("columns") or []
        stamp = record.created.isoformat()
        for check, passed, _message, _values in fair_test_checks(work, columns, stamp, stamp):
            passing[check] += passed
        numbers = trial_numbers(work.get("rows") or [], columns)
        conditions = max(1, len(condition_values(dict(work, changed_values=[]), columns)))
        trials.append(len(numbers) / conditions if numbers else 0)
        passing["has_prediction"] += has_prediction(work, columns)

    citing = evidence_items = 0
    for record in arguments.values():
        items = [item for item in record.work.get("evidence") or [] if item.get("text")]
        evidence_items += len(items)
        citing += any(CITED.fullmatch(item.get("source") or "") for item in items)
    reviews = store.models().PeerReview.objects.filter(
        board__course_id=course_id, board__investigation=investigation, submitted__isnull=False
    )
    return {
        "learners": {
            step: len(records)
            for step, records in zip(STEPS, (questions, hypotheses, experiments, arguments), strict=True)
        },
        "question": {
            "investigable": share(investigable, len(questions)),
            "common": chosen.most_common(3),
        },
        "hypothesis": {
            "complete": share(complete, len(hypotheses)),
            "verdicts": dict(verdict_counts),
            "confidence_before": round(sum(before) / len(before), 1) if before else None,
            "confidence_after": round(sum(after) / len(after), 1) if after else None,
        },
        "experiment": {
            "checks": {
                check: share(passing[check], len(experiments)) for check in ("one_variable", "values", "controlled")
            },
            "trials_per_condition": round(sum(trials) / len(trials), 1) if trials else None,
        },
        "argumentation": {
            "citing_results": share(citing, len(arguments)),
            "evidence_per_argument": round(evidence_items / len(arguments), 1) if arguments else None,
            "peer_reviews": reviews.count(),
        },
    }


def needs_attention(course_id, investigation, *, stalled_days=7, now=None):
    """
    Learners a trainer may want to see first: stalled (their last submission older than
    ``stalled_days``, and no argument yet), plans failing a fair-test check, arguments that
    cite nothing from the learner's results. Each: (learner, reason key, detail).
    """
    from .experiment import fair_test_checks

    now = now or datetime.now(UTC)
    found = []
    last = submissions(course_id, investigation).values("learner").annotate(last=Max("created"))
    argued = set(submissions(course_id, investigation).filter(step="argumentation").values_list("learner", flat=True))
    for row in last.order_by("last"):
        if row["learner"] not in argued and now - row["last"] > timedelta(days=stalled_days):
            found.append((row["learner"], "stalled", (now - row["last"]).days))
    for learner, record in latest(course_id, investigation, "experiment").items():
        work = dict(record.work)
        work.setdefault("changed_values", [])
        stamp = record.created.isoformat()
        failing = [
            check for check, passed, *_ in fair_test_checks(work, work.get("columns") or [], stamp, stamp) if not passed
        ]
        if failing:
            found.append((learner, "plan", failing))
    for learner, record in latest(course_id, investigation, "argumentation").items():
        if not any(CITED.fullmatch(item.get("source") or "") for item in record.work.get("evidence") or []):
            found.append((learner, "no_evidence", None))
    return found


POOL_LEARNERS = 200  # beyond this, the pooled chart draws an even sample of learners, and says so


def pooled(course_id, investigation, *, exclude=None, limit=POOL_LEARNERS):
    """
    The class's results on one table: every learner's latest results rows (the table of the
    most recent submission's columns), each row with its learner's short anonymous tag and
    its trial. Returns (columns, chart settings, rows, trials, sources, learners, shown).
    """
    from .experiment import trial_numbers

    records = [
        record for learner, record in latest(course_id, investigation, "experiment").items() if learner != exclude
    ]
    if not records:
        return None
    newest = max(records, key=lambda record: record.created)
    columns = newest.work.get("columns") or []
    keys = {column["key"] for column in columns}
    step = max(1, math.ceil(len(records) / limit))
    shown = records[::step]
    rows, trials, sources = [], [], []
    for record in shown:
        own = [row for row in record.work.get("rows") or [] if set(row) <= keys]
        rows.extend(own)
        trials.extend(trial_numbers(own, columns))
        sources.extend([record.learner[:8]] * len(own))
    return {
        "columns": columns,
        "settings": newest.work.get("chart") or {},
        "rows": rows,
        "trials": trials,
        "sources": sources,
        "learners": len(records),
        "shown": len(shown),
    }


def pooled_chart(pool, translator, language, *, named=False):
    """The pooled rows as a chart description (marks named by learner tags when ``named``)."""
    from . import charts

    return charts.describe(
        pool["columns"],
        pool["rows"],
        pool["settings"],
        translator.gettext,
        ngettext=translator.ngettext,
        trials=pool["trials"],
        language=language,
        sources=pool["sources"] if named else None,
    )
