"""Django admin for the investigation store: read-mostly views for support staff."""

from django.contrib import admin

from .models import Board, Contribution, PeerReview, StepRecord


@admin.register(StepRecord)
class StepRecordAdmin(admin.ModelAdmin):
    list_display = ("course_id", "investigation", "step", "learner", "version", "kind", "created")
    list_filter = ("step", "kind")
    search_fields = ("course_id", "investigation", "usage_id", "learner")
    readonly_fields = [field.name for field in StepRecord._meta.fields]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("usage_id", "course_id", "investigation", "shared_count", "contribution_count")
    search_fields = ("usage_id", "course_id", "investigation")
    readonly_fields = ("shared_count", "contribution_count")


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """Read-only: board counters move with the store's functions; staff hide from the board itself."""

    list_display = ("id", "board", "learner", "shared", "hidden", "endorsement_count", "flag_count", "created")
    list_filter = ("hidden", "shared")
    search_fields = ("learner", "board__usage_id", "text")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PeerReview)
class PeerReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "board", "reviewer", "contribution", "example", "submitted")
    search_fields = ("reviewer", "board__usage_id")
