# lamap-xblocks: `make demo` builds the trainer course and serves its preview, `make test`
# runs every check. Both create or refresh the virtual environment in $(VENV) first.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# CLASS=30: sample learners work through the investigations first (the staff dashboard has a class).
CLASS ?=
COURSE ?= courses/inquiry-trainers-en
ARCHIVE := dist/$(notdir $(COURSE)).tar.gz
BIN := $(VENV)/bin
# Quiet installs: setuptools' notice about editable installs is for packagers, not for
# someone trying the demo (PYTHONWARNINGS reaches the build backend's process too).
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo workbench test lint format extract_translations compile_translations check_translations start_translation bench clean

$(VENV)/.demo-installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel
	$(PIP) install -e '.[demo]'
	touch $@

$(VENV)/.test-installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel
	$(PIP) install -e '.[test]'
	touch $@ $(VENV)/.demo-installed

# The Tutor plugin (tutor-contrib-lamap/) and Tutor itself, for the plugin's tests.
$(VENV)/.tutor-plugin-installed: $(VENV)/.test-installed tutor-contrib-lamap/pyproject.toml
	$(PIP) install -e ./tutor-contrib-lamap
	touch $@

# The course is built to its OLX archive, then previewed from that archive: what Studio would import.
demo: $(VENV)/.demo-installed
	$(BIN)/lamap-course build $(COURSE) -o $(ARCHIVE)
	$(BIN)/lamap-course preview $(ARCHIVE) --port $(PORT) $(if $(CLASS),--class $(CLASS))

# The blocks alone, in the XBlock workbench's scenarios.
workbench: $(VENV)/.demo-installed
	$(BIN)/python -m lamap_xblocks.demo --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check lamap_xblocks tests bench tools tutor-contrib-lamap
	$(BIN)/ruff format --check lamap_xblocks tests bench tools tutor-contrib-lamap

format: $(VENV)/.test-installed
	$(BIN)/ruff format lamap_xblocks tests bench tools tutor-contrib-lamap
	$(BIN)/ruff check --fix lamap_xblocks tests bench tools tutor-contrib-lamap

test: lint $(VENV)/.tutor-plugin-installed
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest tutor-contrib-lamap/tests

# Translations (OEP-58 layout: lamap_xblocks/conf/locale/<lang>/LC_MESSAGES/django.po, djangojs.po).
extract_translations: $(VENV)/.test-installed
	$(BIN)/python tools/i18n.py extract

compile_translations: $(VENV)/.test-installed
	$(BIN)/python tools/i18n.py compile

start_translation: $(VENV)/.test-installed
	@test -n "$(LANG_CODE)" || (echo "usage: make start_translation LANG_CODE=de" && exit 2)
	$(BIN)/python tools/i18n.py start $(LANG_CODE)

check_translations: $(VENV)/.test-installed
	$(BIN)/python tools/i18n.py check

bench: $(VENV)/.test-installed
	$(BIN)/python bench/render.py
	$(BIN)/python bench/board.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/course.py
	$(BIN)/python bench/live.py

clean:
	rm -rf $(VENV) var build dist *.egg-info .pytest_cache
