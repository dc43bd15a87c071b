"""
Settings of the local demo: the xblock-sdk workbench, with the traps it sets avoided.

* its sqlite database and log live in ``var/`` (``LAMAP_VAR_DIR``), created here;
* the page language follows the browser (LocaleMiddleware): English, French, Spanish
  (Latin America), Brazilian Portuguese or Arabic;
* the index lists our scenarios, not the SDK's samples;
* the investigation store (our Django app) is installed, on the same database;
  ``LAMAP_DATABASE_URL`` (``mysql://user:password@host:port/name``) puts it all on MySQL
  or MariaDB instead of sqlite;
* a user service tells blocks who is staff: student ids starting with "staff".
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import DATABASES, INSTALLED_APPS, LOGGING, MIDDLEWARE, WORKBENCH

VAR_DIR = Path(os.environ.get("LAMAP_VAR_DIR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = os.environ.get("LAMAP_DATABASE_URL", "")
if DATABASE_URL.startswith("mysql://"):
    import pymysql  # the pure-Python driver: no compiler or client library to install

    pymysql.install_as_MySQLdb()
    _url = urlparse(DATABASE_URL)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": _url.path.lstrip("/"),
            "USER": unquote(_url.username or ""),
            "PASSWORD": unquote(_url.password or ""),
            "HOST": _url.hostname or "localhost",
            "PORT": str(_url.port or ""),
            # On this machine's own server, no TLS: PyMySQL prepares it for every connection
            # (about 40 ms of CPU), and the development server opens one per request.
            "OPTIONS": {"charset": "utf8mb4", "ssl_disabled": _url.hostname in ("127.0.0.1", "localhost", "::1")},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
elif "WORKBENCH_DATABASES" not in os.environ:
    DATABASES["default"]["NAME"] = str(VAR_DIR / "workbench.db")
    # Concurrent learners: wait for the write lock instead of failing, take it at the start
    # of a transaction (no deadlock on upgrade), and let readers read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

INSTALLED_APPS = [*INSTALLED_APPS, "lamap_xblocks"]
LAMAP_XBLOCKS = {"BOARD_PAGE_SIZE": int(os.environ.get("LAMAP_BOARD_PAGE_SIZE", "10"))}
WORKBENCH = dict(
    WORKBENCH,
    services=dict(
        WORKBENCH["services"],
        user="lamap_xblocks.demo.services.DemoUserService",
        **{"field-data": "lamap_xblocks.demo.field_data.RequestFieldData"},  # rows read once per request
    ),
)
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")
# The workbench logs all of Django at DEBUG, which makes every template render write to disk.
LOGGING["loggers"]["django"]["level"] = "INFO"

MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es-419", "Español (Latinoamérica)"),
    ("pt-br", "Português (Brasil)"),
    ("ar", "العربية"),
]
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

# Sample files that the demo's scenarios show (the analysis block's image), at /static/lamap-demo/.
STATICFILES_DIRS = [str(Path(__file__).resolve().parent / "static")]
