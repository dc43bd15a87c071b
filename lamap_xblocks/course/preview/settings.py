"""
Settings of ``lamap-course preview``: the demo's (workbench, sqlite in ``LAMAP_VAR_DIR``,
the investigation store, the demo user service), with the course's pages in front and
every request in the course's language instead of the browser's.
"""

import os

from lamap_xblocks.demo.settings import *  # noqa: F403
from lamap_xblocks.demo.settings import EXCLUDED_XBLOCKS, INSTALLED_APPS, MIDDLEWARE
from lamap_xblocks.i18n import LOCALE_DIR

from . import SCENARIO_PREFIX

# The course to preview: sources, an OLX archive or an unpacked OLX directory.
LAMAP_PREVIEW_COURSE = os.environ.get("LAMAP_PREVIEW_COURSE", "")

ROOT_URLCONF = "lamap_xblocks.course.preview.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "lamap_xblocks.course.preview"]
# The preview's own strings are translated in the package's catalogs.
LOCALE_PATHS = [str(LOCALE_DIR)]

# The course's language for every request, instead of the browser's (LocaleMiddleware).
MIDDLEWARE = [name for name in MIDDLEWARE if name != "django.middleware.locale.LocaleMiddleware"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "lamap_xblocks.course.preview.views.CourseMiddleware",
)

# The workbench's index (at /workbench/) lists its own scenarios, not one per block of the course.
EXCLUDED_XBLOCKS = {*EXCLUDED_XBLOCKS, SCENARIO_PREFIX}
