"""
The investigation store as a Django app, and as an Open edX plugin app: the LMS and
Studio find it through the ``lms.djangoapp`` and ``cms.djangoapp`` entry points, add it
to INSTALLED_APPS (so ``migrate`` creates its tables) and load its default settings.
"""

from django.apps import AppConfig


class LamapXBlocksConfig(AppConfig):
    name = "lamap_xblocks"
    verbose_name = "La main à la pâte inquiry blocks"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
    }

    def ready(self):
        from .compat import connect_retirement

        connect_retirement()
