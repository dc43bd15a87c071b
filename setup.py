"""Packaging of lamap-xblocks: the XBlocks, their templates, static files and translations."""
import re
from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "lamap_xblocks" / "__init__.py").read_text()).group(1)

BLOCKS = {
    "lamap_question": "lamap_xblocks.question:QuestionBlock",
    "lamap_hypothesis": "lamap_xblocks.hypothesis:HypothesisBlock",
    "lamap_experiment": "lamap_xblocks.experiment:ExperimentBlock",
    "lamap_argumentation": "lamap_xblocks.argumentation:ArgumentationBlock",
    "lamap_analysis": "lamap_xblocks.analysis:AnalysisBlock",
    "lamap_notebook": "lamap_xblocks.notebook:NotebookBlock",
}
# The investigation store is a Django app: Open edX's plugin system installs it in the LMS and Studio.
PLUGIN_APP = "lamap_xblocks = lamap_xblocks.apps:LamapXBlocksConfig"

setup(
    name="lamap-xblocks",
    version=VERSION,
    description="Open edX XBlocks for inquiry-based science education (La main à la pâte)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    # An SPDX expression (PEP 639), not a licence classifier: setuptools deprecates those.
    license_expression="AGPL-3.0-only",
    # Every folder of the package, the ones holding only data (templates/question, public/css,
    # conf/locale/fr/LC_MESSAGES...) too: a folder without __init__.py is a namespace package,
    # and setuptools warns about each data folder that is not listed as one.
    packages=find_namespace_packages(include=["lamap_xblocks", "lamap_xblocks.*"], exclude=["*.__pycache__"]),
    include_package_data=True,
    package_data={
        "lamap_xblocks": [
            "templates/*/*.html",
            "public/css/*.css",
            "public/js/*.js",
            "public/js/translations/*/*.js",
            "conf/locale/*/LC_MESSAGES/*.po",
            "conf/locale/*/LC_MESSAGES/*.mo",
            "translations/*/LC_MESSAGES/*.mo",
            "course/preview/templates/lamap_preview/*.html",
            "course/preview/static/lamap_preview/*",
            "demo/static/lamap-demo/*",
            "course/kit_templates/*",
        ],
    },
    python_requires=">=3.11",
    install_requires=[
        # xblock-sdk 0.14 (picked on Python 3.11) needs XBlock's Django extra named here.
        "XBlock[django]>=5.1",
        "Django>=5.2,<6.0",
        "web-fragments>=2.0",
        "WebOb>=1.8",
        "lxml>=4.9",
        "Markdown>=3.4",
        "nh3>=0.2.14",
        "PyYAML>=6.0",
        # Dates in each learner's language (the CLDR's formats, as Open edX has them).
        "Babel>=2.12",
        # lamap-course translate: PO catalogs, and Markdown split into blocks with their lines.
        "polib>=1.2",
        "markdown-it-py>=3.0",
    ],
    extras_require={
        # The course toolchain's checker runs Open edX's OLX validator.
        "course": ["olxcleaner>=0.3"],
        # lamap-course kit --pdf: the printable kit as PDF (needs the system's Pango).
        "kit": ["weasyprint>=62"],
        "demo": ["xblock-sdk>=0.14", "olxcleaner>=0.3"],
        "test": [
            "xblock-sdk>=0.14",
            "olxcleaner>=0.3",
            "weasyprint>=62",
            "pypdf>=4",
            "pytest>=8",
            "requests>=2.31",
            "polib>=1.2",
            "playwright>=1.45",
            "ruff>=0.6",
            "xblock-poll>=1.14",
            "PyMySQL>=1.1",
            "cssselect>=1.2",
            # axe-core (bundled) checks the course player's accessibility in the browser tests.
            "axe-playwright-python>=0.1.8",
        ],
    },
    entry_points={
        "console_scripts": ["lamap-course = lamap_xblocks.course.cli:main"],
        "xblock.v1": [f"{name} = {path}" for name, path in BLOCKS.items()],
        "lms.djangoapp": [PLUGIN_APP],
        "cms.djangoapp": [PLUGIN_APP],
    },
    classifiers=[
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
