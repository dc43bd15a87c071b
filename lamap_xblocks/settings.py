"""Default settings of the plugin app; operators override them in their own settings."""

DEFAULTS = {
    # Contributions per page of a class board (at most 50).
    "BOARD_PAGE_SIZE": 10,
}


def plugin_settings(settings):
    """Called by Open edX's plugin system: fill in what the operator left unset."""
    configured = dict(DEFAULTS)
    configured.update(getattr(settings, "LAMAP_XBLOCKS", {}) or {})
    settings.LAMAP_XBLOCKS = configured
