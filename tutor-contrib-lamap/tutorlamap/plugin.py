"""
The lamap plugin for Tutor: installs lamap-xblocks in the openedx image, configures its
investigation store in the LMS and Studio, gives the platform its bundled translations and
migrates the store in ``tutor ... do init``.

Everything that reaches Tutor's environment is a template in ``patches/`` (one file per patch,
named after the patch) or ``templates/lamap/tasks/`` (init tasks, one folder per service).
"""

from importlib import resources

from tutor import hooks

from .__about__ import __version__

PACKAGE = resources.files("tutorlamap")

# Settings, with their defaults. Every name starts with the plugin's prefix, LAMAP_.
hooks.Filters.CONFIG_DEFAULTS.add_items(
    [
        # What pip installs in the openedx image: the release that matches this plugin, or a
        # git URL ("lamap-xblocks @ git+https://...@<tag>") or the URL of a wheel.
        ("LAMAP_XBLOCKS_REQUIREMENT", f"lamap-xblocks=={__version__}"),
        # Contributions per page of a class board (the package brings it back into 1 to 50).
        ("LAMAP_BOARD_PAGE_SIZE", 10),
    ]
)

# Patches: the file name is the patch name, the content a template rendered with the settings.
for patch in sorted((PACKAGE / "patches").iterdir(), key=lambda item: item.name):
    if patch.is_file():
        hooks.Filters.ENV_PATCHES.add_item((patch.name, patch.read_text(encoding="utf-8")))

# The init task: the store's migrations, in the LMS container (the LMS and Studio share the
# database). `tutor local launch` and `tutor local do init` run it after the platform's own
# tasks; `tutor local do init --limit=lamap` runs it alone.
INIT_TASK = PACKAGE / "templates" / "lamap" / "tasks" / "lms" / "init.sh"
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", INIT_TASK.read_text(encoding="utf-8")))
