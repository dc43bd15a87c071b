"""
Settings of the local demo: the xblock-sdk workbench, with the traps it sets avoided.

* its sqlite database and log live in ``var/`` (``LAMAP_VAR_DIR``), created here;
* the page language follows the browser (LocaleMiddleware), English and French;
* the index lists our scenarios, not the SDK's samples.
"""

import os
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import DATABASES, LOGGING, MIDDLEWARE

VAR_DIR = Path(os.environ.get("LAMAP_VAR_DIR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

if "WORKBENCH_DATABASES" not in os.environ:
    DATABASES["default"]["NAME"] = str(VAR_DIR / "workbench.db")
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")
# The workbench logs all of Django at DEBUG, which makes every template render write to disk.
LOGGING["loggers"]["django"]["level"] = "INFO"

MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
USE_I18N = True

EXCLUDED_XBLOCKS = {
    "allscopes_demo",
    "attempts_scoreboard_demo",
    "equality_demo",
    "filethumbs",
    "helloworld_demo",
    "html_demo",
    "problem_demo",
    "sidebar_demo",
    "slider_demo",
    "textinput_demo",
    "thumbs",
    "view_counter_demo",
    "poll",
    "survey",
}
