# The README's commands. Every target sets up what it needs, idempotently:
# the virtualenv is created once, dependencies are reinstalled only when
# pyproject.toml changes, models are fetched only when absent or corrupt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp-install

# Where the GGUF files live for this checkout (see models/README.md).
export ASSISTANT_MODELS_DIR ?= $(CURDIR)/models
# Skips llama.cpp's multimodal library: halves the build, text generation is unchanged.
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF

.PHONY: run test test-slow bench lint eval-deid eval-review-aids install models-test models-default clean

run: install models-default
	$(BIN)/assistant

test: install models-test
	$(PY) -m pytest -m "not slow"

test-slow: install models-test
	$(PY) -m pytest -m slow

bench: install models-test
	$(PY) bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

eval-deid: install
	$(PY) -m assistant.deid.evaluate

eval-review-aids: install
	$(PY) -m assistant.review_aids.evaluate

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

models-default: install
	$(BIN)/assistant models fetch demo

models-test: install
	$(BIN)/assistant models fetch smollm2-test

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
