"""
``manage.py lamap_recount [--course KEY] [--investigation KEY]``: recount the class
dashboard's progress rows and tallies from the stored submissions. Submissions keep them
up to date as they arrive; recount after writing records in bulk outside the blocks (an
import, a restore), or to check them: it prints the investigations it counted.
"""

from django.core.management.base import BaseCommand

from lamap_xblocks import models, store


class Command(BaseCommand):
    help = "Recount the class dashboard's progress rows and tallies from the stored submissions."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="only this course key")
        parser.add_argument("--investigation", help="only this investigation key")

    def handle(self, *args, **options):
        classes = models.StepRecord.objects.exclude(investigation="")
        if options["course"]:
            classes = classes.filter(course_id=options["course"])
        if options["investigation"]:
            classes = classes.filter(investigation=options["investigation"])
        pairs = sorted(set(classes.values_list("course_id", "investigation").distinct()))
        for course_id, investigation in pairs:
            store.rebuild_progress(course_id, investigation)
            learners = models.LearnerProgress.objects.filter(course_id=course_id, investigation=investigation)
            self.stdout.write(f"{course_id} {investigation}: {learners.count()} learners counted")
        if not pairs:
            self.stdout.write("No submissions in an investigation: nothing to count.")
