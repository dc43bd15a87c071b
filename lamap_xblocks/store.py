"""
The investigation store's API: the only code that reads or writes the store's models.
Plain functions that take keys and values (never a block), so tests and the benchmark
call them directly. Every write is atomic; every board read costs a fixed number of
indexed queries, whatever the size of the class.
"""

import logging
import random
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import BigIntegerField, Case, Count, F, Max, OuterRef, Subquery, Value, When
from django.utils import timezone

from . import similarity

APP_LABEL = "lamap_xblocks"
log = logging.getLogger(__name__)
ORDERS = ("newest", "shuffled", "grouped")
# Booleans compared as "= true": Django writes a bare `NOT hidden AND shared` on sqlite, which
# sqlite cannot match to the later columns of a composite index (Django ticket #36492).
TRUE, FALSE = Value(True), Value(False)
MAX_PAGE_SIZE = 50
MAX_HISTORY = 2000  # records shown in one notebook
VERSION_RETRIES = 20
MAX_CANDIDATES = 20  # similar contributions compared word by word when one is added


def is_deadlock(error):
    """MySQL and MariaDB's "deadlock found" (1213) and "lock wait timeout" (1205)."""
    return bool(error.args) and error.args[0] in (1205, 1213)


def enabled():
    """Whether the store's Django app is installed (the blocks work without it, unlinked)."""
    return apps.ready and apps.is_installed(APP_LABEL)


def models():
    """The models module, imported only once the app registry is ready."""
    from . import models as store_models

    return store_models


def page_size():
    configured = getattr(settings, "LAMAP_XBLOCKS", {}).get("BOARD_PAGE_SIZE", 10)
    return max(1, min(int(configured), MAX_PAGE_SIZE))


def _(text):
    """Mark a message for extraction; the block translates it."""
    return text


class StoreError(Exception):
    """A request the store refuses. ``message`` is for people (translated by the block)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


# ----- step records: each learner's work, versioned ------------------------------------------


def record_step(*, course_id, investigation, usage_id, step, learner, kind, title, work):
    """
    Add a version of a learner's work on a step. Versions count from 1 per block and
    learner; concurrent writers retry on the unique constraint, so none is lost.
    """
    record_model = models().StepRecord
    for _attempt in range(VERSION_RETRIES):
        try:
            with transaction.atomic():
                latest = record_model.objects.filter(usage_id=usage_id, learner=learner).aggregate(
                    latest=Max("version")
                )["latest"]
                record = record_model.objects.create(
                    course_id=course_id,
                    investigation=investigation,
                    usage_id=usage_id,
                    step=step,
                    learner=learner,
                    version=(latest or 0) + 1,
                    kind=kind,
                    title=title[:255],
                    work=work,
                )
                _move_progress(course_id, investigation, learner, step, record.created, record=record)
                return record
        except IntegrityError:
            continue  # another request took this version number: take the next one
        except OperationalError as error:
            if not is_deadlock(error):
                raise
            continue  # InnoDB chose this transaction as a deadlock victim: try again
    raise StoreError(_("Your work could not be recorded: too many saves at the same time. Try again."), status=503)


def note_draft(*, course_id, investigation, learner, step):
    """
    A learner saved a draft of a step: the dashboard shows that there is one (never its
    content). Best effort: a failure here is logged and never costs the learner the draft.
    """
    try:
        with transaction.atomic():
            _move_progress(course_id, investigation, learner, step, timezone.now())
    except DatabaseError:
        log.warning("The draft of %s in %s could not be noted for the dashboard", step, investigation, exc_info=True)


# ----- the class's progress and tallies, for the dashboard ----------------------------------


def _move_progress(course_id, investigation, learner, step, when, *, record=None):
    """
    Move the learner's progress row and the class's tallies by a submission (or a draft),
    inside the caller's transaction: the row is locked, the tallies move with F().
    """
    from . import dashboard  # noqa: PLC0415  # what a submission counts for is the dashboard's to say

    if not investigation or step not in dashboard.STEPS:
        return
    rows = models().LearnerProgress.objects
    keys = {"course_id": course_id, "investigation": investigation, "learner": learner}
    row = rows.select_for_update().filter(**keys).first()  # locked: one writer per learner at a time
    if row is None:  # the learner's first step: the row is written once, already moved
        state = {"submitted": 0, "last_activity": None, "plan_failing": False, "no_evidence": False, "steps": {}}
        deltas, labels = dashboard.advance(state, step, when, record, new=True)
        try:
            with transaction.atomic():
                rows.create(**keys, **state)
        except IntegrityError:  # their other request created it first: move that one instead
            row = rows.select_for_update().get(**keys)
    if row is not None:
        state = {field: getattr(row, field) for field in PROGRESS_FIELDS}
        deltas, labels = dashboard.advance(state, step, when, record)
        for field in PROGRESS_FIELDS:
            setattr(row, field, state[field])
        row.save(update_fields=PROGRESS_FIELDS)
    _move_tallies(course_id, investigation, deltas, labels)


PROGRESS_FIELDS = ["submitted", "last_activity", "plan_failing", "no_evidence", "steps"]


def _move_tallies(course_id, investigation, deltas, labels=None):
    """Add ``deltas`` ({name: amount}) to the investigation's tallies, in one UPDATE once they exist."""
    if not deltas:
        return
    tally = models().ClassTally
    names = sorted(deltas)  # one order for every writer: no lock-order deadlock between two
    rows = tally.objects.filter(course_id=course_id, investigation=investigation, name__in=names)
    moved = rows.update(
        value=F("value")
        + Case(*[When(name=name, then=Value(deltas[name])) for name in names], output_field=BigIntegerField())
    )
    if moved == len(names):
        return
    existing = set(rows.values_list("name", flat=True))
    for name in names:
        if name in existing:
            continue
        try:
            with transaction.atomic():
                tally.objects.create(
                    course_id=course_id,
                    investigation=investigation,
                    name=name,
                    kind=tally.QUESTION if name.startswith("question:") else tally.COUNT,
                    label=(labels or {}).get(name, ""),
                    value=deltas[name],
                )
        except IntegrityError:  # another submission created it first
            rows.filter(name=name).update(value=F("value") + deltas[name])


def rebuild_progress(course_id, investigation, *, using=None):
    """
    Recount an investigation's progress rows and tallies from its records and peer reviews:
    after the migration that added them, a bulk import or a learner's retirement. Reads the
    whole class once (an operator's task, never a page view). ``using``: the models (a
    migration passes its historical ones).
    """
    from . import dashboard  # noqa: PLC0415

    store = using or models()
    progress = store.LearnerProgress.objects.filter(course_id=course_id, investigation=investigation)
    tallies = store.ClassTally.objects.filter(course_id=course_id, investigation=investigation)
    deltas, labels, batch, state = {}, {}, [], None

    def flush(final=False):
        if state is not None:
            batch.append(store.LearnerProgress(course_id=course_id, investigation=investigation, **state))
        if batch and (final or len(batch) >= 1000):
            store.LearnerProgress.objects.bulk_create(batch)
            batch.clear()

    with transaction.atomic():
        progress.delete()
        tallies.delete()
        records = (
            store.StepRecord.objects.filter(course_id=course_id, investigation=investigation, step__in=dashboard.STEPS)
            .order_by("learner", "created", "id")
            .iterator(chunk_size=2000)
        )
        for record in records:
            new = state is None or state["learner"] != record.learner
            if new:
                flush()
                state = {"learner": record.learner, "submitted": 0, "steps": {}, "last_activity": None}
                state.update(plan_failing=False, no_evidence=False)
            moved, named = dashboard.advance(state, record.step, record.created, record, new=new)
            for name, amount in moved.items():
                deltas[name] = deltas.get(name, 0) + amount
            labels.update({name: text for name, text in named.items() if name not in labels})
        flush(final=True)
        reviews = store.PeerReview.objects.filter(
            board__course_id=course_id, board__investigation=investigation, submitted__isnull=False
        )
        deltas["reviews"] = reviews.count()
        deltas["reviewers"] = reviews.values("reviewer").distinct().count()
        deltas["reviewed"] = reviews.exclude(contribution=None).values("contribution__learner").distinct().count()
        store.ClassTally.objects.bulk_create(
            store.ClassTally(
                course_id=course_id,
                investigation=investigation,
                name=name,
                kind="question" if name.startswith("question:") else "count",
                label=labels.get(name, ""),
                value=value,
            )
            for name, value in sorted(deltas.items())
            if value
        )


def latest_work(*, course_id, learner, investigation, step):
    """The learner's latest record of a step in an investigation (any block), or None."""
    return (
        models()
        .StepRecord.objects.filter(course_id=course_id, learner=learner, investigation=investigation, step=step)
        .order_by("-created", "-id")
        .first()
    )


def history(*, course_id, learner, investigation=None, steps=None):
    """A learner's records, oldest first: one investigation, or the whole course when None."""
    query = models().StepRecord.objects.filter(course_id=course_id, learner=learner)
    if investigation is not None:
        query = query.filter(investigation=investigation)
    if steps is not None:
        query = query.filter(step__in=steps)
    return list(query.order_by("created", "id")[:MAX_HISTORY])


def history_of_investigation(*, course_id, investigation):
    """Every learner's records of an investigation, for staff's export."""
    return (
        models()
        .StepRecord.objects.filter(course_id=course_id, investigation=investigation)
        .order_by("learner", "step", "version")
        .iterator(chunk_size=2000)
    )


def investigation_keys(course_id):
    """Investigation keys learners have worked in, in this course."""
    return sorted(
        set(
            models()
            .StepRecord.objects.filter(course_id=course_id)
            .exclude(investigation="")
            .values_list("investigation", flat=True)
            .distinct()[:200]
        )
    )


def step_counts(*, course_id, investigation):
    """How many learners submitted each step of an investigation: {step: count}, from the running counts."""
    from . import dashboard  # noqa: PLC0415

    tallies = models().ClassTally.objects.filter(
        course_id=course_id, investigation=investigation, name__in=dashboard.STEPS, value__gt=0
    )
    return dict(tallies.values_list("name", "value"))


def block_records(usage_id, *, latest_only=True, limit=None):
    """A block's records, for staff: each learner's latest version (or every version)."""
    record_model = models().StepRecord
    query = record_model.objects.filter(usage_id=usage_id)
    if latest_only:
        newest = record_model.objects.filter(usage_id=OuterRef("usage_id"), learner=OuterRef("learner"))
        query = query.filter(version=Subquery(newest.order_by("-version").values("version")[:1]))
    query = query.order_by("learner", "version")
    return list(query[:limit] if limit else query)


# ----- the class board --------------------------------------------------------------------


def contribute(*, course_id, investigation, usage_id, learner, text, shared):
    """
    Put a learner's latest work on the block's board (one contribution per learner,
    updated on resubmission). Returns (contribution, created). The counters move only
    when a contribution is created, so a repeated or concurrent submission counts once.
    """
    store = models()
    word_set = similarity.words(text)
    with transaction.atomic():
        # Writers of one board take its row first: on InnoDB, two inserts that each hold a
        # shared lock on the board (the foreign key) and then update its counters deadlock.
        board = store.Board.objects.select_for_update().filter(usage_id=usage_id).first()
        if board is None:  # the board's first contribution
            store.Board.objects.get_or_create(
                usage_id=usage_id, defaults={"course_id": course_id, "investigation": investigation}
            )
            board = store.Board.objects.select_for_update().get(usage_id=usage_id)
        contribution = store.Contribution.objects.filter(board=board, learner=learner).first()
        created = False
        if contribution is None:
            try:
                with transaction.atomic():
                    contribution = store.Contribution.objects.create(
                        board=board,
                        learner=learner,
                        text=text,
                        shared=shared,
                        words=" ".join(sorted(word_set)),
                        shuffle_key=random.randrange(2**31),
                    )
                created = True
            except IntegrityError:  # the same learner's other request created it first
                contribution = store.Contribution.objects.get(board=board, learner=learner)
        if created:
            store.Board.objects.filter(pk=board.pk).update(
                contribution_count=F("contribution_count") + 1, shared_count=F("shared_count") + int(shared)
            )
        else:
            visible_before = contribution.shared and not contribution.hidden
            visible_after = shared and not contribution.hidden
            store.Contribution.objects.filter(pk=contribution.pk).update(
                text=text, shared=shared, words=" ".join(sorted(word_set))
            )
            if visible_before != visible_after:
                store.Board.objects.filter(pk=board.pk).update(
                    shared_count=F("shared_count") + (1 if visible_after else -1)
                )
            contribution.refresh_from_db()
        _place_in_group(store, board, contribution, word_set, new=created)
    return contribution, created


def _place_in_group(store, board, contribution, word_set, new=False):
    """Group a contribution with the first earlier one whose words are similar enough."""
    keys = similarity.bands(word_set)
    if not new:  # a new contribution has no bands yet
        store.SimilarityBand.objects.filter(contribution=contribution).delete()
    group = contribution.pk
    if keys:
        # Ids first: MySQL and MariaDB refuse a LIMIT inside an IN (subquery).
        similar_ids = set(
            store.SimilarityBand.objects.filter(board=board, band__in=keys)
            .exclude(contribution=contribution)
            .order_by("contribution_id")
            .values_list("contribution_id", flat=True)[: MAX_CANDIDATES * len(keys)]
        )
        candidates = (
            store.Contribution.objects.filter(pk__in=sorted(similar_ids)[:MAX_CANDIDATES])
            .order_by("id")
            .only("id", "group", "words")
        )
        for candidate in candidates:
            if similarity.jaccard(word_set, set(candidate.words.split())) >= similarity.THRESHOLD:
                group = min(candidate.group or candidate.pk, contribution.pk)
                break
        store.SimilarityBand.objects.bulk_create(
            store.SimilarityBand(board=board, contribution=contribution, band=key) for key in keys
        )
    if contribution.group != group:
        store.Contribution.objects.filter(pk=contribution.pk).update(group=group)
        contribution.group = group


@dataclass
class BoardPage:
    count: int
    page: int
    pages: int
    order: str
    items: list


def board_page(usage_id, *, viewer, order="newest", page=1, staff=False):
    """
    One page of a board as ``viewer`` sees it. Learners see shared, visible
    contributions; staff also see hidden ones, flagged first. A fixed number of
    indexed queries whatever the board's size.
    """
    store = models()
    size = page_size()
    board = store.Board.objects.filter(usage_id=usage_id).first()
    if board is None:
        return BoardPage(count=0, page=1, pages=1, order=order, items=[])
    query = store.Contribution.objects.filter(board=board)
    if staff:
        count = board.contribution_count
    else:
        query = query.filter(shared=TRUE, hidden=FALSE)
        count = board.shared_count
    pages = max(1, -(-count // size))
    page = max(1, min(page, pages))
    ordering = {
        "newest": ("-id",),
        "shuffled": ("shuffle_key", "id"),
        "grouped": ("group", "id"),
    }[order]
    if staff:
        ordering = ("-flag_count", *ordering)
    rows = list(
        query.order_by(*ordering).values(
            "id", "learner", "text", "created", "group", "endorsement_count", "flag_count", "hidden", "shared"
        )[(page - 1) * size : page * size]
    )
    ids = [row["id"] for row in rows]
    groups = {row["group"] for row in rows if row["group"]}
    group_sizes = dict(
        store.Contribution.objects.filter(board=board, shared=TRUE, hidden=FALSE, group__in=groups)
        .values("group")
        .annotate(size=Count("id"))
        .values_list("group", "size")
    )
    endorsed = set(
        store.Endorsement.objects.filter(contribution_id__in=ids, learner=viewer).values_list(
            "contribution_id", flat=True
        )
    )
    flagged = set(
        store.Flag.objects.filter(contribution_id__in=ids, learner=viewer).values_list("contribution_id", flat=True)
    )
    items = []
    previous_group = None
    for row in rows:
        item = {
            "id": row["id"],
            "text": row["text"],
            "created": row["created"],
            "endorsements": row["endorsement_count"],
            "endorsed": row["id"] in endorsed,
            "flagged": row["id"] in flagged,
            "mine": row["learner"] == viewer,
            "similar": max(0, group_sizes.get(row["group"], 1) - 1),
            "same_group_as_previous": order == "grouped" and row["group"] == previous_group,
        }
        if staff:
            item.update(hidden=row["hidden"], flags=row["flag_count"], shared=row["shared"])
        previous_group = row["group"]
        items.append(item)
    return BoardPage(count=count, page=page, pages=pages, order=order, items=items)


def _contribution(store, usage_id, contribution_id):
    contribution = (
        store.Contribution.objects.select_related("board").filter(pk=contribution_id, board__usage_id=usage_id).first()
    )
    if contribution is None:
        raise StoreError(_("There is no such contribution on this board."))
    return contribution


def endorse(usage_id, contribution_id, learner, endorsed):
    """Say (or unsay) that a contribution helps; the count moves once per learner."""
    store = models()
    with transaction.atomic():
        contribution = _contribution(store, usage_id, contribution_id)
        if not contribution.shared or contribution.hidden:
            raise StoreError(_("There is no such contribution on this board."))
        if contribution.learner == learner:
            raise StoreError(_("You cannot endorse your own contribution."))
        if endorsed:
            try:
                with transaction.atomic():
                    store.Endorsement.objects.create(contribution=contribution, learner=learner)
            except IntegrityError:
                return False  # already endorsed
            store.Contribution.objects.filter(pk=contribution.pk).update(endorsement_count=F("endorsement_count") + 1)
        else:
            deleted, _kinds = store.Endorsement.objects.filter(contribution=contribution, learner=learner).delete()
            if not deleted:
                return False
            store.Contribution.objects.filter(pk=contribution.pk, endorsement_count__gt=0).update(
                endorsement_count=F("endorsement_count") - 1
            )
    return True


def flag(usage_id, contribution_id, learner):
    """Report a contribution to staff, once per learner."""
    store = models()
    with transaction.atomic():
        contribution = _contribution(store, usage_id, contribution_id)
        if contribution.learner == learner:
            raise StoreError(_("You cannot report your own contribution."))
        try:
            with transaction.atomic():
                store.Flag.objects.create(contribution=contribution, learner=learner)
        except IntegrityError:
            return False
        store.Contribution.objects.filter(pk=contribution.pk).update(flag_count=F("flag_count") + 1)
    return True


def set_hidden(usage_id, contribution_id, hidden):
    """Staff hide a contribution from the class (or show it again)."""
    store = models()
    with transaction.atomic():
        contribution = _contribution(store, usage_id, contribution_id)
        changed = store.Contribution.objects.filter(pk=contribution.pk, hidden=not hidden).update(hidden=hidden)
        if changed and contribution.shared:
            store.Board.objects.filter(pk=contribution.board_id).update(
                shared_count=F("shared_count") + (-1 if hidden else 1)
            )
    return bool(changed)


def own_contribution(usage_id, learner):
    return models().Contribution.objects.filter(board__usage_id=usage_id, learner=learner).first()


def board_counts(usage_id):
    """Staff figures of a board: contributions, shared, hidden, flagged."""
    store = models()
    board = store.Board.objects.filter(usage_id=usage_id).first()
    if board is None:
        return {"contributions": 0, "shared": 0, "hidden": 0, "flagged": 0}
    query = store.Contribution.objects.filter(board=board)
    return {
        "contributions": board.contribution_count,
        "shared": board.shared_count,
        "hidden": query.filter(hidden=TRUE).count(),
        "flagged": query.filter(flag_count__gt=0).count(),
    }


# ----- peer feedback ---------------------------------------------------------------------------


def assign_reviews(usage_id, reviewer, count, examples):
    """
    The arguments ``reviewer`` comments on: peers' first (those with the fewest
    reviewers so far), then the author's examples when too few peers have submitted.
    Assignments are kept, so the same arguments come back on every visit.
    """
    store = models()
    board = store.Board.objects.filter(usage_id=usage_id).first()
    with transaction.atomic():
        if board is not None:
            store.Board.objects.select_for_update().filter(pk=board.pk).first()
        assigned = list(
            store.PeerReview.objects.filter(board__usage_id=usage_id, reviewer=reviewer)
            .select_related("contribution")
            .order_by("id")
        )
        missing = count - len(assigned)
        if missing > 0 and board is not None:
            taken = [review.contribution_id for review in assigned if review.contribution_id]
            peers = list(
                store.Contribution.objects.filter(board=board, hidden=FALSE)
                .exclude(learner=reviewer)
                .exclude(pk__in=taken)
                .order_by("review_count", "shuffle_key")[:missing]
            )
            for peer in peers:
                try:
                    with transaction.atomic():
                        assigned.append(
                            store.PeerReview.objects.create(board=board, reviewer=reviewer, contribution=peer)
                        )
                    store.Contribution.objects.filter(pk=peer.pk).update(review_count=F("review_count") + 1)
                except IntegrityError:
                    continue
            missing = count - len(assigned)
        if missing > 0 and examples:
            if board is None:
                board, _created = store.Board.objects.get_or_create(
                    usage_id=usage_id, defaults={"course_id": "", "investigation": ""}
                )
            used = {review.example for review in assigned if review.example is not None}
            for index in range(len(examples)):
                if missing <= 0:
                    break
                if index in used:
                    continue
                try:
                    with transaction.atomic():
                        assigned.append(store.PeerReview.objects.create(board=board, reviewer=reviewer, example=index))
                    missing -= 1
                except IntegrityError:
                    continue
    return assigned


def submit_review(usage_id, review_id, reviewer, criteria_met, comment, *, scores=None):
    """
    Save a reviewer's comments (and rubric scores) on one assigned argument; they may edit
    them later. Returns the reviewed learner's anonymous id (None for an author's example).
    """
    store = models()
    with transaction.atomic():
        review = (
            store.PeerReview.objects.select_for_update()
            .select_related("board", "contribution")
            .filter(pk=review_id, board__usage_id=usage_id, reviewer=reviewer)
            .first()
        )
        if review is None:
            raise StoreError(_("This argument was not given to you for feedback."))
        first = review.submitted is None
        store.PeerReview.objects.filter(pk=review.pk).update(
            criteria_met=criteria_met, comment=comment, scores=scores or {}, submitted=timezone.now()
        )
        if first and review.board.investigation:  # the dashboard counts reviews sent, by whom, to whom
            sent = store.PeerReview.objects.filter(
                board__course_id=review.board.course_id,
                board__investigation=review.board.investigation,
                submitted__isnull=False,
            ).exclude(pk=review.pk)
            deltas = {"reviews": 1, "reviewers": int(not sent.filter(reviewer=reviewer).exists())}
            if review.contribution is not None:
                deltas["reviewed"] = int(not sent.filter(contribution__learner=review.contribution.learner).exists())
            _move_tallies(review.board.course_id, review.board.investigation, deltas)
    return review.contribution.learner if review.contribution is not None else None


def reviews_received(usage_id, learner):
    """Submitted comments on the learner's argument, oldest first (reviewers stay anonymous)."""
    return list(
        models()
        .PeerReview.objects.filter(board__usage_id=usage_id, contribution__learner=learner, submitted__isnull=False)
        .order_by("submitted", "id")
        .values("criteria_met", "comment", "scores", "submitted")[:100]
    )


# ----- the class's marks on an analysis block's artefact ------------------------------------------


def annotate(usage_id, learner, targets):
    """
    A learner's latest submission marks ``targets`` (annotations.class_targets): move the
    class's counts by what changed since their previous submission, in one transaction.
    """
    store = models()
    targets = set(targets)
    for _attempt in range(VERSION_RETRIES):
        try:
            with transaction.atomic():
                rows = store.AnnotationMark.objects.filter(usage_id=usage_id, learner=learner)
                before = set(rows.select_for_update().values_list("target", flat=True))
                added, removed = sorted(targets - before), sorted(before - targets)
                if removed:
                    rows.filter(target__in=removed).delete()
                store.AnnotationMark.objects.bulk_create(
                    store.AnnotationMark(usage_id=usage_id, learner=learner, target=target) for target in added
                )
                deltas = dict.fromkeys(added, 1) | dict.fromkeys(removed, -1)
                if not before and targets:
                    deltas[store.AnnotationTally.LEARNERS] = 1
                elif before and not targets:
                    deltas[store.AnnotationTally.LEARNERS] = -1
                _move_annotation_tallies(store, usage_id, deltas)
                return
        except IntegrityError:
            continue  # the same learner's other request marked these first: count again from its rows
        except OperationalError as error:
            if not is_deadlock(error):
                raise
            continue
    raise StoreError(_("Your work could not be recorded: too many saves at the same time. Try again."), status=503)


def _move_annotation_tallies(store, usage_id, deltas):
    """Add ``deltas`` ({target: amount}) to a block's counts, creating the missing ones, in a fixed order."""
    if not deltas:
        return
    tallies = store.AnnotationTally.objects.filter(usage_id=usage_id)
    existing = set(tallies.filter(target__in=list(deltas)).values_list("target", flat=True))
    missing = [target for target in sorted(deltas) if target not in existing]
    for target in missing:
        try:
            with transaction.atomic():
                store.AnnotationTally.objects.create(usage_id=usage_id, target=target, learners=deltas[target])
        except IntegrityError:  # another submission created it first
            existing.add(target)
    for target in sorted(existing):
        tallies.filter(target=target).update(learners=F("learners") + deltas[target])


def annotation_counts(usage_id):
    """How many learners mark each part of the artefact, and how many learners marked it: ({target: n}, learners)."""
    counts = dict(
        models().AnnotationTally.objects.filter(usage_id=usage_id, learners__gt=0).values_list("target", "learners")
    )
    return counts, counts.pop(models().AnnotationTally.LEARNERS, 0)


# ----- rubric scores from staff and from the learner ---------------------------------------------


def set_rubric_score(usage_id, learner, role, *, scorer, scores, comment=""):
    """Keep a staff member's (or the learner's own) score of a learner's work; it replaces the previous one."""
    models().RubricScore.objects.update_or_create(
        usage_id=usage_id, learner=learner, role=role, defaults={"scorer": scorer, "scores": scores, "comment": comment}
    )


def staff_scores(usage_id, learners):
    """Staff's scores of these learners' work: ``{learner: (scores, comment)}``, one query."""
    rows = models().RubricScore.objects.filter(usage_id=usage_id, learner__in=list(learners), role="staff")
    return {row.learner: (row.scores, row.comment) for row in rows}


def rubric_scores(usage_id, learner):
    """The staff and self scores of a learner's work: ``{"staff": row or None, "self": row or None}``."""
    rows = {row.role: row for row in models().RubricScore.objects.filter(usage_id=usage_id, learner=learner)}
    return {role: rows.get(role) for role in ("staff", "self")}


def first_record_date(usage_id, learner):
    """When the learner first submitted this block (None if never)."""
    first = models().StepRecord.objects.filter(usage_id=usage_id, learner=learner).order_by("version").first()
    return first.created if first else None


def has_record(usage_id, learner):
    """Whether the learner has submitted this block (staff may score only submitted work)."""
    return models().StepRecord.objects.filter(usage_id=usage_id, learner=learner).exists()


# ----- learners leaving -----------------------------------------------------------------------


def retire_learners(learner_ids):
    """
    Delete everything the store holds about these learners (anonymous ids): their
    records, contributions (with what hangs on them), endorsements, flags, reviews and
    marks on analysis blocks.
    Counters of what remains are corrected. Returns the number of rows deleted.
    """
    store = models()
    learner_ids = list(learner_ids)
    if not learner_ids:
        return 0
    deleted = 0
    with transaction.atomic():
        classes = set(
            store.LearnerProgress.objects.filter(learner__in=learner_ids).values_list("course_id", "investigation")
        )
        for endorsement in store.Endorsement.objects.filter(learner__in=learner_ids).select_related("contribution"):
            store.Contribution.objects.filter(pk=endorsement.contribution_id, endorsement_count__gt=0).update(
                endorsement_count=F("endorsement_count") - 1
            )
        for flag_row in store.Flag.objects.filter(learner__in=learner_ids):
            store.Contribution.objects.filter(pk=flag_row.contribution_id, flag_count__gt=0).update(
                flag_count=F("flag_count") - 1
            )
        for contribution in store.Contribution.objects.filter(learner__in=learner_ids):
            visible = contribution.shared and not contribution.hidden
            store.Board.objects.filter(pk=contribution.board_id).update(
                contribution_count=F("contribution_count") - 1, shared_count=F("shared_count") - int(visible)
            )
        for usage_id, learner in set(
            store.AnnotationMark.objects.filter(learner__in=learner_ids).values_list("usage_id", "learner")
        ):
            annotate(usage_id, learner, ())
        for queryset in (
            store.Endorsement.objects.filter(learner__in=learner_ids),
            store.Flag.objects.filter(learner__in=learner_ids),
            store.PeerReview.objects.filter(reviewer__in=learner_ids),
            store.RubricScore.objects.filter(learner__in=learner_ids),
            store.Contribution.objects.filter(learner__in=learner_ids),
            store.StepRecord.objects.filter(learner__in=learner_ids),
        ):
            count, _kinds = queryset.delete()
            deleted += count
        store.RubricScore.objects.filter(scorer__in=learner_ids).update(scorer="")  # scores they gave stay, unsigned
        for course_id, investigation in sorted(classes):  # the class's counts without them
            rebuild_progress(course_id, investigation)
    return deleted
