"""Tutor plugin for lamap-xblocks."""
