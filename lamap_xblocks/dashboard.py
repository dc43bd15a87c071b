"""
The trainer's view of a class's investigation.

Two halves. What each submission counts for (``features``, ``advance``): pure functions
that the store calls in the transaction recording a submission or a draft, to move the
learner's progress row and the class's running tallies (models.LearnerProgress and
ClassTally). And what the dashboard reads (``progress``, ``indicators``,
``needs_attention``, ``pooled``): a few indexed queries on those rows, each with a LIMIT,
so the dashboard costs about the same for 100 learners as for 100,000, and is never
stale. Learners are anonymous ids, as everywhere.
"""

import hashlib
import heapq
import itertools
import math
from collections import Counter
from datetime import UTC, datetime, timedelta

from . import evidence, similarity, store

STEPS = ("question", "hypothesis", "experiment", "argumentation")
BIT = {step: 1 << index for index, step in enumerate(STEPS)}  # LearnerProgress.submitted
PAGE_SIZE = 50
ATTENTION_SHOWN = 50  # learners listed per reason
COUNT_LIMIT = 1000  # stalled learners are counted up to this ("more than 1,000")
COMMON_QUESTIONS = 3
CONFIDENCE_LEVELS = (1, 2, 3, 4)
TRIALS = (0, 1, 2, 3)  # trials per condition, the last meaning "3 or more"
EVIDENCE = (0, 1, 2, 3, 4)  # evidence items per argument, the last meaning "4 or more"
CHECKS = ("one_variable", "values", "controlled", "prediction_first")


class FilterError(ValueError):
    """A filter or page the grid cannot show (the handler answers 400 with it)."""


# ----- what a submission counts for (called by the store, in its transaction) -----------------


def question_group(text):
    """One tally name for questions with the same content words ("Why do logs float?", "why does a log float")."""
    key = " ".join(sorted(similarity.words(text))) or " ".join(text.lower().split())
    return "question:" + hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def features(step, work, stamp, earlier=None):
    """
    What a learner's latest submission of ``step`` counts for in the class's indicators:
    (counts, kept, labels). ``counts``: {tally name: amount}; ``kept``: what the learner's
    progress row keeps of it, given back as ``earlier`` with their next version (the
    confidence first stated, the failing checks); ``labels``: question groups' texts.
    """
    counts, kept, labels = Counter({step: 1}), {}, {}
    if step == "question":
        counts[f"question.testable.{work.get('testable') or 'none'}"] = 1
        index, items = work.get("chosen_question"), work.get("questions") or []
        if isinstance(index, int) and 0 <= index < len(items) and str(items[index]).strip():
            text = " ".join(str(items[index]).split())
            group = question_group(text)
            counts[group], labels[group] = 1, text[:255]
    elif step == "hypothesis":
        items = [item for item in work.get("hypotheses") or [] if isinstance(item, dict)]
        counts["hypothesis.complete"] = int(
            bool(items) and all(item.get("reason") and item.get("prediction") for item in items)
        )
        for item in items:
            counts[f"hypothesis.verdict.{item.get('verdict') or 'none'}"] += 1
        first = items[0] if items else {}
        kept["first_confidence"] = (earlier or {}).get("first_confidence") or first.get("confidence")
        before, after = kept["first_confidence"], first.get("confidence")
        if first.get("verdict") and before in CONFIDENCE_LEVELS and after in CONFIDENCE_LEVELS:
            counts[f"hypothesis.before.{before}"] = counts[f"hypothesis.after.{after}"] = 1  # after the evidence
    elif step == "experiment":
        from .experiment import condition_values, fair_test_checks, trial_counts  # noqa: PLC0415

        # Records of earlier versions may lack the newer plan fields.
        work = {"changed_variable": "", "changed_values": [], "controlled_variables": [], **work}
        columns = work.get("columns") or []
        kept["failing"] = []
        for check, passed, *_rest in fair_test_checks(work, columns, stamp, stamp):
            counts[f"experiment.check.{check}"] = int(passed)
            if not passed:
                kept["failing"].append(check)
        counts["experiment.failing"] = int(bool(kept["failing"]))
        trials = sum(trial_counts(work.get("rows") or [], columns).values())
        conditions = max(1, len(condition_values(dict(work, changed_values=[]), columns)))
        per_condition = trials / conditions
        counts["experiment.trials_x10"] = round(per_condition * 10)
        counts[f"experiment.trials.{min(TRIALS[-1], math.floor(per_condition))}"] = 1
    elif step == "argumentation":
        items = [item for item in work.get("evidence") or [] if isinstance(item, dict) and item.get("text")]
        kept["cites"] = any(evidence.cites_own_results(item.get("source")) for item in items)
        counts["argumentation.citing"] = int(kept["cites"])
        counts["argumentation.uncited"] = int(not kept["cites"])
        counts["argumentation.evidence"] = len(items)
        counts[f"argumentation.items.{min(EVIDENCE[-1], len(items))}"] = 1
    return {name: amount for name, amount in counts.items() if amount}, kept, labels


def advance(state, step, when, record=None, *, new=False):
    """
    Move a learner's progress ``state`` (a LearnerProgress row's fields, as a dict) by a
    submission ``record`` of ``step``, or by a draft when ``record`` is None. Returns
    (tally deltas, labels): what the class's tallies move by.
    """
    deltas, labels = Counter(), {}
    if new:
        deltas["learners"] += 1
        deltas[f"mask.{state['submitted']}"] += 1
    steps = state["steps"]
    entry = dict(steps.get(step) or {})
    state["last_activity"] = max(state["last_activity"], when) if state.get("last_activity") else when
    if record is None:
        entry["draft"] = when.isoformat()
    else:
        counts, kept, labels = features(step, record.work, record.created.isoformat(), entry.get("kept"))
        deltas.update(counts)
        deltas.subtract(entry.get("counts") or {})
        mask = state["submitted"] | BIT[step]
        if mask != state["submitted"]:
            deltas[f"mask.{state['submitted']}"] -= 1
            deltas[f"mask.{mask}"] += 1
            state["submitted"] = mask
        entry.pop("draft", None)  # the draft became this submission
        entry.update(
            versions=entry.get("versions", 0) + 1,
            date=record.created.isoformat(),
            record=record.pk,
            counts=counts,
            kept=kept,
        )
        if step == "experiment":
            state["plan_failing"] = bool(kept["failing"])
        elif step == "argumentation":
            state["no_evidence"] = not kept["cites"]
    steps[step] = entry
    return {name: amount for name, amount in deltas.items() if amount}, labels


# ----- what the dashboard reads ---------------------------------------------------------------


def tallies(course_id, investigation):
    """The investigation's running counts: {name: value} (one query)."""
    tally = store.models().ClassTally
    return dict(
        tally.objects.filter(course_id=course_id, investigation=investigation, kind=tally.COUNT)
        .exclude(value=0)
        .values_list("name", "value")
    )


def masks(submitted=(), missing=()):
    """The progress rows' ``submitted`` values with every step of ``submitted`` and none of ``missing``."""
    need = sum(BIT[step] for step in submitted)
    avoid = sum(BIT[step] for step in missing)
    return [mask for mask in range(1 << len(STEPS)) if mask & need == need and not mask & avoid]


def learners_of(course_id, investigation):
    return store.models().LearnerProgress.objects.filter(course_id=course_id, investigation=investigation)


def moment(text):
    return datetime.fromisoformat(text) if text else None


# The grid's orders: (the rows' sort key, newest first?), each served by an index.
ORDERS = {
    "learner": ("learner", False),  # anonymous ids: no order that means anything, and stable
    "recent": ("last_activity", True),
    "idle": ("last_activity", False),
    "furthest": ("submitted", True),  # the furthest step submitted first (see BIT)
}


def progress(course_id, investigation, *, page=1, submitted=(), missing=(), order="learner", counts=None):
    """
    One page of the grid: for each learner (anonymous id), each step's state: ``None`` (not
    started), or ``{"versions": n, "date": datetime, "draft": datetime}`` (n = 0: a draft
    only; n > 1: revised). Filters keep learners who submitted every step of ``submitted``
    and none of ``missing`` ("submitted the experiment but no argument"); ``order`` is one
    of ORDERS.
    """
    unknown = [step for step in (*submitted, *missing) if step not in STEPS]
    if unknown:
        raise FilterError(f"unknown step: {', '.join(unknown)}")
    if order not in ORDERS:
        raise FilterError(f"unknown order: {order}")
    if not isinstance(page, int) or page < 1:
        raise FilterError("the page must be a whole number from 1")
    counts = tallies(course_id, investigation) if counts is None else counts
    wanted = masks(submitted, missing)
    total = sum(counts.get(f"mask.{mask}", 0) for mask in wanted)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        raise FilterError(f"there are {pages} pages")
    shown = in_order(
        course_id,
        investigation,
        wanted,
        counts,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        fields=("learner", "steps"),
        order=order,
    )
    grid = []
    for learner, steps in shown:
        cells = {}
        for step in STEPS:
            entry = steps.get(step)
            cells[step] = entry and {
                "versions": entry.get("versions", 0),
                "date": moment(entry.get("date")),
                "draft": moment(entry.get("draft")),
            }
        grid.append((learner, cells))
    return {"rows": grid, "total": total, "page": page, "pages": pages, "order": order}


def in_order(course_id, investigation, wanted, counts, *, offset, limit, fields, exclude=None, order="learner"):
    """
    Learners' progress rows (``fields``) whose ``submitted`` is one of ``wanted``, in
    ``order``, from ``offset``. Every read walks an index and stops after the page: the
    whole class in one walk; otherwise one walk per kind of progress that has learners (the
    tallies say which), concatenated for "furthest" and merged here for the other orders.
    A single ``IN`` would make the database either sort every match or walk the whole
    class to find a few.
    """
    key, newest_first = ORDERS[order]
    # Ties in their index's own order (ids ride along in every index): no sort in the database.
    ordering = [f"-{key}", "-id"] if newest_first else [key, "id"]
    rows = learners_of(course_id, investigation)
    if exclude:
        rows = rows.exclude(learner=exclude)
    present = [mask for mask in wanted if counts.get(f"mask.{mask}")]
    if order == "furthest":
        found = []
        for mask in sorted(present, reverse=True):
            if offset >= counts[f"mask.{mask}"]:
                offset -= counts[f"mask.{mask}"]
                continue
            walk = rows.filter(submitted=mask).order_by("learner").values_list(*fields)
            found += walk[offset : offset + limit - len(found)]
            offset = 0
            if len(found) >= limit:
                break
        return found
    if len(wanted) == 1 << len(STEPS):
        return list(rows.order_by(*ordering).values_list(*fields)[offset : offset + limit])
    walks = [rows.filter(submitted=mask).order_by(*ordering).values_list(key, "id", *fields) for mask in present]
    if len(walks) == 1:
        return [row[2:] for row in walks[0][offset : offset + limit]]
    merged = heapq.merge(
        *(list(walk[: offset + limit]) for walk in walks), key=lambda row: row[:2], reverse=newest_first
    )
    return [row[2:] for row in itertools.islice(merged, offset, offset + limit)]


def share(part, whole):
    return round(100 * part / whole) if whole else None


def mean(total, count, scale=1):
    return round(total / scale / count, 1) if count else None


def indicators(course_id, investigation, counts=None):
    """The class's indicators per step, from each learner's latest submission (shares in %)."""
    counts = tallies(course_id, investigation) if counts is None else counts
    tally = store.models().ClassTally
    common = (
        tally.objects.filter(course_id=course_id, investigation=investigation, kind=tally.QUESTION, value__gt=0)
        .order_by("-value", "-id")
        .values_list("label", "value")[:COMMON_QUESTIONS]
    )
    learners = {step: counts.get(step, 0) for step in STEPS}
    get = lambda name: counts.get(name, 0)  # noqa: E731
    revisited = sum(get(f"hypothesis.before.{level}") for level in CONFIDENCE_LEVELS)
    before = [get(f"hypothesis.before.{level}") for level in CONFIDENCE_LEVELS]
    after = [get(f"hypothesis.after.{level}") for level in CONFIDENCE_LEVELS]
    weighted = lambda levels: sum(level * count for level, count in zip(CONFIDENCE_LEVELS, levels, strict=True))  # noqa: E731
    return {
        "learners": learners,
        "question": {
            "investigable": share(get("question.testable.yes"), learners["question"]),
            "testable": {answer: get(f"question.testable.{answer}") for answer in ("yes", "no", "unsure")},
            "common": list(common),
        },
        "hypothesis": {
            "complete": share(get("hypothesis.complete"), learners["hypothesis"]),
            "verdicts": {
                verdict: get(f"hypothesis.verdict.{verdict}") for verdict in ("supported", "refuted", "unsure", "none")
            },
            "revisited": revisited,
            "confidence": {"levels": CONFIDENCE_LEVELS, "before": before, "after": after},
            "confidence_before": mean(weighted(before), revisited),
            "confidence_after": mean(weighted(after), revisited),
        },
        "experiment": {
            "checks": {check: share(get(f"experiment.check.{check}"), learners["experiment"]) for check in CHECKS},
            "trials": [(bucket, get(f"experiment.trials.{bucket}")) for bucket in TRIALS],
            "trials_per_condition": mean(get("experiment.trials_x10"), learners["experiment"], 10),
        },
        "argumentation": {
            "citing_results": share(get("argumentation.citing"), learners["argumentation"]),
            "evidence": [(bucket, get(f"argumentation.items.{bucket}")) for bucket in EVIDENCE],
            "evidence_per_argument": mean(get("argumentation.evidence"), learners["argumentation"]),
            "peer_reviews": get("reviews"),
            "reviewers": get("reviewers"),
            "reviewed": get("reviewed"),
        },
    }


def needs_attention(course_id, investigation, *, stalled_days=7, now=None, limit=ATTENTION_SHOWN, counts=None):
    """
    Learners a trainer may want to see first, at most ``limit`` per reason: stalled (no
    submission or draft for ``stalled_days``, and no argument yet), plans failing a
    fair-test check, arguments that cite nothing from the learner's results. Returns
    {"items": [(learner, reason key, detail)], "counts": {reason: learners}}.
    """
    counts = tallies(course_id, investigation) if counts is None else counts
    now = now or datetime.now(UTC)
    rows = learners_of(course_id, investigation)
    stalled = rows.filter(
        last_activity__lt=now - timedelta(days=stalled_days), submitted__in=masks(missing=("argumentation",))
    ).order_by("last_activity")
    items = [
        (learner, "stalled", (now - last).days)
        for learner, last in stalled.values_list("learner", "last_activity")[:limit]
    ]
    stalled_count = len(items) if len(items) < limit else stalled[: COUNT_LIMIT + 1].count()
    # "= true", so that sqlite seeks the (…, plan_failing, learner) index (see store.TRUE).
    failing = rows.filter(plan_failing=store.TRUE).order_by("learner").values_list("learner", "steps")
    for learner, steps in failing[:limit]:
        items.append((learner, "plan", steps["experiment"]["kept"]["failing"]))
    for (learner,) in rows.filter(no_evidence=store.TRUE).order_by("learner").values_list("learner")[:limit]:
        items.append((learner, "no_evidence", None))
    return {
        "items": items,
        "counts": {
            "stalled": stalled_count,
            "plan": counts.get("experiment.failing", 0),
            "no_evidence": counts.get("argumentation.uncited", 0),
        },
    }


POOL_LEARNERS = 100  # beyond this, the pooled chart draws a sample of learners, and says so


def pooled(course_id, investigation, *, exclude=None, limit=POOL_LEARNERS, counts=None):
    """
    The class's results on one table: the latest results rows of the learners who submitted
    the experiment (the first ``limit`` in the order of their anonymous ids, which are
    hashes: a sample spread over the class), each row with its learner's short anonymous
    tag and its trial; the columns are those of the most recent submission. Returns
    {columns, settings, rows, trials, sources, learners, shown}, or None.
    """
    from .experiment import trial_numbers  # noqa: PLC0415

    counts = tallies(course_id, investigation) if counts is None else counts
    learners = counts.get("experiment", 0)
    if (
        exclude is not None
        and learners_of(course_id, investigation).filter(learner=exclude, submitted__in=masks(("experiment",))).exists()
    ):
        learners -= 1
    if learners <= 0:
        return None
    chosen = in_order(
        course_id,
        investigation,
        masks(("experiment",)),
        counts,
        offset=0,
        limit=limit,
        fields=("learner", "steps"),
        exclude=exclude,
    )
    record_ids = [steps["experiment"]["record"] for _learner, steps in chosen]
    # By primary key alone: with the class's keys too, a database may walk the class's index instead.
    records = store.models().StepRecord.objects.filter(pk__in=record_ids).order_by("learner")
    newest = submissions(course_id, investigation).filter(step="experiment").order_by("-id").only("work").first()
    columns = newest.work.get("columns") or []
    keys = {column["key"] for column in columns}
    rows, trials, sources = [], [], []
    for record in records.only("learner", "work"):
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
        "learners": learners,
        "shown": len(record_ids),
    }


def submissions(course_id, investigation):
    return store.models().StepRecord.objects.filter(course_id=course_id, investigation=investigation)


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
