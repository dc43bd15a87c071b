"""The course's pages first, then the workbench's routes unchanged (handlers, resources, scenarios)."""

from django.urls import path, re_path
from workbench import views as workbench_views
from workbench.urls import urlpatterns as workbench_urlpatterns

from . import views

urlpatterns = [
    path("", views.home, name="lamap_preview_home"),
    path("unit/<str:url_name>/", views.unit, name="lamap_preview_unit"),
    re_path(r"^jump_to_id/(?P<url_name>[^/]+)/?$", views.jump_to_id, name="lamap_preview_jump"),
    path("course-static/<path:path>", views.course_static, name="lamap_preview_static"),
    path("workbench/", workbench_views.index, name="lamap_preview_workbench"),
    re_path(r"^reset_state$", views.reset_state, name="lamap_preview_reset_state"),
    *workbench_urlpatterns,
]
