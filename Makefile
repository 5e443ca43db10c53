# digitlens: `make serve` to run the app, `make test` to run every test. Both set up what they need.
PYTHON ?= python3
PORT ?= 8000
MODEL ?= cnn
VENV := .venv
PY := $(VENV)/bin/python
# The shared MNIST copy beside the repository, when there is one; else training downloads it.
ifneq ($(wildcard ../shared/data/mnist),)
export MNIST_DIR ?= $(abspath ../shared/data/mnist)
endif

.PHONY: serve test site train export lint format clean bench

serve: $(VENV)/bin/python site
	$(PY) -m devtools.serve --port $(PORT)

test: $(VENV)/.dev-installed site
	$(PY) -m ruff check .
	node_modules/.bin/eslint .
	$(PY) -m pytest

# Timings in headless Chromium: bench/results.json and the README's Benchmark section (not part of test).
bench: $(VENV)/.dev-installed site
	$(PY) -m bench

# The vendored runtime (Pyodide, PyScript, TF.js) from the npm lockfile, Python's standard library
# trimmed to what the page imports, and the service worker's file list, written again every time since
# any file in site/ may have changed.
site: site/vendor/versions.json
	node sitebuild/precache.mjs

site/vendor/versions.json: node_modules/.package-lock.json sitebuild/vendor.mjs sitebuild/stdlib.py sitebuild/stdlib-modules.txt
	npm run build

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Training, export and test dependencies (TensorFlow, tensorflowjs, Playwright, pytest).
$(VENV)/.dev-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[train,test]"
	touch $@

# The shipped model's run again: python -m training's defaults are its settings (README: Train and export).
train: $(VENV)/.dev-installed
	$(PY) -m training --model $(MODEL)

export: $(VENV)/.dev-installed site
	$(PY) -m export

lint: $(VENV)/.dev-installed node_modules/.package-lock.json
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	node_modules/.bin/eslint .

format: $(VENV)/.dev-installed
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) node_modules site/vendor .pytest_cache
