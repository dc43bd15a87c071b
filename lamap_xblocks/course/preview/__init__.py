"""
``lamap-course preview``: the course as a learner sees it, served locally. The outline,
units with previous/next navigation, HTML components, our blocks live on the XBlock
workbench runtime (sqlite), other components as labelled placeholders, and a switcher
to act as several learners. ``serve`` starts it; ``settings`` and ``urls`` are the
workbench's with the course's pages in front.
"""

# What our scenario names start with (up to the first dot): settings.EXCLUDED_XBLOCKS
# hides them from the workbench's own index.
SCENARIO_PREFIX = "lamap_preview_course"
