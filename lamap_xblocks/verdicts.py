"""
One verdict per hypothesis, wherever the learner gives it.

A learner concludes on a hypothesis in two places: revisiting it in the hypothesis step,
or in the argument ("is your hypothesis supported?"). Both are the same conclusion, so
both read and write the same record: the hypothesis step's latest version in the
investigation store. A verdict given in the argument is recorded there as a revisit of
the hypothesis; a revisit made in the hypothesis step is what the argument shows next.
The newest conclusion wins, so the two places never disagree.
"""

import copy
from datetime import UTC, datetime

from . import store


def parse(stamp):
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except (TypeError, ValueError):
        return None


def hypothesis_record(block):
    """The learner's latest record of the investigation's hypothesis step, or None."""
    if not (block.investigation and block.uses_store()):
        return None
    return store.latest_work(
        course_id=block.course_key, learner=block.learner, investigation=block.investigation, step="hypothesis"
    )


def conclusion(record, hypothesis_id):
    """The verdict, justification and confidence recorded for one hypothesis, with their date."""
    if record is None:
        return None
    item = next((item for item in record.work.get("hypotheses", []) if item.get("id") == hypothesis_id), None)
    if not item or not item.get("verdict"):
        return None
    return {
        "verdict": item["verdict"],
        "justification": item.get("justification", ""),
        "confidence": item.get("confidence"),
        "on": record.created,
    }


def stamp_now():
    """A precise stamp (microseconds): a verdict may change twice in one second."""
    return datetime.now(UTC).isoformat()


def newer(found, stamp):
    """Whether a recorded conclusion is newer than a block's own (ISO, precise) stamp."""
    own = parse(stamp)
    return found is not None and (own is None or found["on"] > own)


def record_conclusion(block, hypothesis_id, verdict, justification, confidence):
    """
    Record a verdict given outside the hypothesis step as a revisit of the hypothesis
    (a new version in the store, under the hypothesis block). Returns whether it changed.
    """
    record = hypothesis_record(block)
    if record is None or not verdict:
        return False
    work = copy.deepcopy(record.work)
    item = next((item for item in work.get("hypotheses", []) if item.get("id") == hypothesis_id), None)
    if item is None:
        return False
    wanted = {"verdict": verdict, "justification": justification}
    if confidence is not None:
        wanted["confidence"] = confidence
    if all(item.get(key) == value for key, value in wanted.items()):
        return False
    item.update(wanted)
    work["concluded_in"] = "argumentation"  # the hypothesis step shows where it was concluded
    store.record_step(
        course_id=block.course_key,
        investigation=block.investigation,
        usage_id=record.usage_id,
        step="hypothesis",
        learner=block.learner,
        kind="revised",
        title=record.title,
        work=work,
    )
    return True


def overlay(block, items):
    """
    The hypothesis step's items with the conclusions the argument recorded since the
    step's own last record (the latest record is the argument's); each says so.
    """
    record = hypothesis_record(block)
    if record is None or record.work.get("concluded_in") != "argumentation":
        return items
    result = []
    for item in items:
        found = conclusion(record, item.get("id"))
        if found and any(item.get(key) != found[key] for key in ("verdict", "justification")):
            result.append(
                dict(
                    item,
                    verdict=found["verdict"],
                    justification=found["justification"],
                    confidence=found["confidence"] if found["confidence"] is not None else item.get("confidence"),
                    concluded_on=found["on"].isoformat(),
                )
            )
        else:
            result.append(item)
    return result
