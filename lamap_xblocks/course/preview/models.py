"""
What the preview records besides the blocks' own state: the units each learner has seen.
A unit without a step of ours is complete once seen, as the Learning MFE marks it. The
server creates the table with ``migrate --run-syncdb`` (the app has no migrations).
"""

from django.db import models


class Visit(models.Model):
    """``student`` has opened the unit ``unit`` (its url_name) at least once."""

    student = models.CharField(max_length=255, db_index=True)
    unit = models.CharField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "preview"
        constraints = [models.UniqueConstraint(fields=["student", "unit"], name="lamap_preview_visit_once")]
