"""
The investigation store: learners' work shared across steps, the class board, peer
feedback. Rows are keyed by course, investigation, block usage and the course-specific
anonymous learner id; no username or email is ever stored here.

Writes are atomic: unique constraints decide races, counters move with ``F()``, and
history is added as rows, never rewritten (see store.py, which is the only writer).
"""

from django.db import models

KEY_LENGTH = 255  # course and usage keys
LEARNER_LENGTH = 64  # anonymous ids are 32 hex characters in Open edX
INVESTIGATION_LENGTH = 50


class StepRecord(models.Model):
    """One version of a learner's work on one step: each submission or revision adds a row."""

    course_id = models.CharField(max_length=KEY_LENGTH)
    investigation = models.CharField(max_length=INVESTIGATION_LENGTH, blank=True)
    usage_id = models.CharField(max_length=KEY_LENGTH)
    step = models.CharField(max_length=20)
    learner = models.CharField(max_length=LEARNER_LENGTH)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=255, blank=True)
    work = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "learner", "version"], name="lamap_record_version_once"),
        ]
        indexes = [
            models.Index(fields=["course_id", "learner", "investigation", "step"], name="lamap_record_learner"),
            models.Index(fields=["usage_id", "version"], name="lamap_record_usage"),
            models.Index(fields=["course_id", "investigation", "step"], name="lamap_record_investigation"),
            # The class dashboard: learners of an investigation in order, and each step's records by learner.
            models.Index(fields=["course_id", "investigation", "learner"], name="lamap_record_class"),
            models.Index(
                fields=["course_id", "investigation", "step", "learner", "version"], name="lamap_record_class_step"
            ),
        ]

    def __str__(self):
        return f"{self.step} v{self.version} ({self.investigation or '-'})"


class Board(models.Model):
    """The class board of one block: its counters, so counting never scans contributions."""

    usage_id = models.CharField(max_length=KEY_LENGTH, unique=True)
    course_id = models.CharField(max_length=KEY_LENGTH)
    investigation = models.CharField(max_length=INVESTIGATION_LENGTH, blank=True)
    shared_count = models.PositiveIntegerField(default=0)  # shared and not hidden
    contribution_count = models.PositiveIntegerField(default=0)  # every contribution, hidden or not

    def __str__(self):
        return self.usage_id


class Contribution(models.Model):
    """A learner's latest submitted work on a board: one row per learner and block."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="contributions")
    learner = models.CharField(max_length=LEARNER_LENGTH)
    text = models.TextField()
    shared = models.BooleanField(default=True)  # False: kept for peer feedback only
    hidden = models.BooleanField(default=False)  # hidden by staff
    group = models.PositiveIntegerField(null=True, blank=True)  # id of the first similar contribution
    words = models.TextField(blank=True)  # the text's word set, for similarity checks
    shuffle_key = models.PositiveIntegerField()
    endorsement_count = models.PositiveIntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)  # peer reviews assigned
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "learner"], name="lamap_contribution_once"),
        ]
        indexes = [
            models.Index(fields=["board", "shared", "hidden", "-id"], name="lamap_board_newest"),
            models.Index(fields=["board", "shared", "hidden", "shuffle_key"], name="lamap_board_shuffled"),
            models.Index(fields=["board", "shared", "hidden", "group", "id"], name="lamap_board_grouped"),
            models.Index(fields=["board", "hidden", "review_count", "shuffle_key"], name="lamap_board_review"),
            models.Index(fields=["board", "-flag_count", "-id"], name="lamap_board_flagged"),
        ]

    def __str__(self):
        return f"#{self.pk} on {self.board_id}"


class SimilarityBand(models.Model):
    """One MinHash band of a contribution's words: equal bands point to similar texts."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(max_length=40)

    class Meta:
        # Covering: finding similar contributions reads the index only, and in order.
        indexes = [models.Index(fields=["board", "band", "contribution"], name="lamap_band_lookup")]


class LearnerMark(models.Model):
    """A learner's mark on a contribution, at most one of each kind per learner."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="%(class)ss")
    learner = models.CharField(max_length=LEARNER_LENGTH)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["contribution", "learner"], name="lamap_%(class)s_once")]


class Endorsement(LearnerMark):
    """A learner found a contribution helpful ("this helps me")."""


class Flag(LearnerMark):
    """A learner reported a contribution to staff."""


class PeerReview(models.Model):
    """
    One argument given to a reviewer: a peer's contribution, or the author's example
    number ``example`` when too few peers have submitted. Comments come when submitted.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.CharField(max_length=LEARNER_LENGTH)
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, null=True, blank=True)
    example = models.PositiveIntegerField(null=True, blank=True)
    criteria_met = models.JSONField(default=list)
    scores = models.JSONField(default=dict)  # against the block's rubric, when it has one (rubric.py)
    comment = models.TextField(blank=True)
    submitted = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "reviewer", "contribution"], name="lamap_review_peer_once"),
            models.UniqueConstraint(fields=["board", "reviewer", "example"], name="lamap_review_example_once"),
        ]
        indexes = [models.Index(fields=["board", "reviewer"], name="lamap_review_reviewer")]


class LearnerProgress(models.Model):
    """
    One learner's place in one investigation, moved by each submission and draft (see
    store.py): the dashboard's grid, filters and attention list read these rows, so a
    page costs the same whatever the size of the class.
    """

    course_id = models.CharField(max_length=KEY_LENGTH)
    investigation = models.CharField(max_length=INVESTIGATION_LENGTH)
    learner = models.CharField(max_length=LEARNER_LENGTH)
    submitted = models.PositiveSmallIntegerField(default=0)  # bit mask of the steps submitted, in dashboard.STEPS order
    last_activity = models.DateTimeField()  # the latest submission or draft
    plan_failing = models.BooleanField(default=False)  # the latest plan fails a fair-test check
    no_evidence = models.BooleanField(default=False)  # the latest argument cites nothing from the results
    steps = models.JSONField(default=dict)  # per step: versions, dates, the latest record's id and counts

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "investigation", "learner"], name="lamap_progress_once"),
        ]
        indexes = [
            models.Index(fields=["course_id", "investigation", "submitted", "learner"], name="lamap_progress_steps"),
            models.Index(fields=["course_id", "investigation", "last_activity"], name="lamap_progress_activity"),
            models.Index(
                fields=["course_id", "investigation", "submitted", "last_activity"],
                name="lamap_progress_steps_activity",
            ),
            models.Index(fields=["course_id", "investigation", "plan_failing", "learner"], name="lamap_progress_plan"),
            models.Index(fields=["course_id", "investigation", "no_evidence", "learner"], name="lamap_progress_argued"),
        ]

    def __str__(self):
        return f"{self.learner} in {self.investigation}"


class ClassTally(models.Model):
    """
    A running count over an investigation's learners (each one's latest submission per
    step), moved with ``F()`` in the transaction that records a submission: the
    dashboard's indicators read a few of these rows, never the records, and are never stale.
    """

    COUNT, QUESTION = "count", "question"

    course_id = models.CharField(max_length=KEY_LENGTH)
    investigation = models.CharField(max_length=INVESTIGATION_LENGTH)
    kind = models.CharField(max_length=10, default=COUNT)  # a named count, or a group of similar questions
    name = models.CharField(max_length=100)
    label = models.CharField(max_length=255, blank=True)  # a question group: its first question, as written
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "investigation", "name"], name="lamap_tally_once"),
        ]
        indexes = [models.Index(fields=["course_id", "investigation", "kind", "value"], name="lamap_tally_top")]

    def __str__(self):
        return f"{self.name} = {self.value}"


class AnnotationMark(models.Model):
    """
    A part of an analysis block's artefact that a learner's latest submission marks (a
    transcript line, a cell of the image's grid): one row per learner and part, so that a
    resubmission moves the class's counts by exactly what changed.
    """

    usage_id = models.CharField(max_length=KEY_LENGTH)
    learner = models.CharField(max_length=LEARNER_LENGTH)
    target = models.CharField(max_length=20)  # "line:5", "cell:3:4" (annotations.class_targets)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "learner", "target"], name="lamap_annotation_once"),
        ]

    def __str__(self):
        return f"{self.learner[:8]} marked {self.target}"


class AnnotationTally(models.Model):
    """How many learners mark each part of an analysis block's artefact; target "*" counts the learners."""

    LEARNERS = "*"

    usage_id = models.CharField(max_length=KEY_LENGTH)
    target = models.CharField(max_length=20)
    learners = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_id", "target"], name="lamap_annotation_tally_once")]

    def __str__(self):
        return f"{self.target}: {self.learners}"


class RubricScore(models.Model):
    """
    A learner's work scored against a block's rubric by staff, or by the learner
    themselves when they submitted ("self"); peers' scores are on their PeerReview.
    One row per learner and role: a new score replaces the previous one.
    """

    STAFF, SELF = "staff", "self"

    usage_id = models.CharField(max_length=KEY_LENGTH)
    learner = models.CharField(max_length=LEARNER_LENGTH)
    role = models.CharField(max_length=10)
    scorer = models.CharField(max_length=LEARNER_LENGTH)
    scores = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "learner", "role"], name="lamap_rubric_score_once"),
        ]

    def __str__(self):
        return f"{self.role} score of {self.learner[:8]}"
