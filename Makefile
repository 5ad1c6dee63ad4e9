# Two commands for learners:  make lab   (set up, open the course)   make test   (set up, test all)
# Both create .venv on first use and only reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
# Property tests draw the same examples on every `make test` (see tests/conftest.py);
# `make test HYPOTHESIS_PROFILE=dev` draws new ones each run.
HYPOTHESIS_PROFILE ?= ci
# Tests run in JOBS processes (pytest-xdist), a whole file or notebook per process, so a
# module's fixtures are built once; `make test JOBS=1` runs them in this process instead.
JOBS   ?= 2
XDIST  := $(if $(filter-out 0 1,$(JOBS)),-n $(JOBS) --dist loadfile,)

.PHONY: setup lab test lint format notebooks exercises colab-env test-colab test-browser clean \
	site test-site

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_welcome.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every test: lint, the library, widgets, exercises and graders, then every lesson under nbval.
test: lint
	$(BIN)/python -m pytest -q $(XDIST) -m "not site" --hypothesis-profile=$(HYPOTHESIS_PROFILE)
	$(BIN)/python -m pytest -q $(XDIST) --nbval-lax --nbval-current-env -p no:randomly notebooks

notebooks: $(STAMP)
	$(BIN)/python lessons/build.py

exercises: $(STAMP)
	$(BIN)/python exercises/build.py

# The versions Colab preinstalls, in a second environment (see .ci/colab-constraints.txt).
COLAB := .venv-colab
$(COLAB)/.installed: pyproject.toml .ci/colab-constraints.txt
	@test -x $(COLAB)/bin/python || $(PYTHON) -m venv $(COLAB)
	$(COLAB)/bin/python -m pip install -q --upgrade pip
	$(COLAB)/bin/python -m pip install -q -c .ci/colab-constraints.txt -e ".[test]"
	@touch $@

colab-env: $(COLAB)/.installed

# The Chinese lessons (notebooks/zh) run the English lessons' code cells (tests/test_twins.py
# checks it), so nbval runs them in the latest environment only, to keep CI short; so do the
# tests marked latest_only (pyproject.toml says why each may be).
test-colab: colab-env
	$(COLAB)/bin/python -m pytest -q $(XDIST) -m "not browser and not site and not latest_only" \
		--hypothesis-profile=$(HYPOTHESIS_PROFILE)
	$(COLAB)/bin/python -m pytest -q $(XDIST) --nbval-lax --nbval-current-env --ignore=notebooks/zh \
		notebooks

# The course website, built from the saved notebooks into site/_build/html (see site/build.py);
# preview it with  .venv/bin/python -m http.server -d site/_build/html 8000
SITE_STAMP := $(VENV)/.site-installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
$(SITE_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[site]"
	@rm -f $(VENV)/.site-installed-*
	@touch $@

site: $(SITE_STAMP)
	$(BIN)/python site/build.py

# The built site's pages, and two of them in headless Chromium (screenshots in artifacts/).
test-site: $(STAMP) $(SITE_STAMP)
	@test -f site/_build/html/index.html || $(MAKE) site
	$(BIN)/python -m pytest -q -m site -p no:randomly tests/test_site.py

clean:
	rm -rf $(VENV) $(COLAB) .pytest_cache .ruff_cache .hypothesis site/_build
