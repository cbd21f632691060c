# Two entry points for a fresh Debian/Ubuntu machine: `make run` and `make test`.
# Both install what is missing (system packages with apt-get, Python packages in
# .venv) and are quick when everything is already in place.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_APT  := espeak-ng libespeak-ng1 alsa-utils libportaudio2
TEST_APT := $(RUN_APT) flite sox festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts pocketsphinx-testdata
ARGS ?=

.PHONY: run test lint typecheck unit bench format clean system-run system-test

run: system-run $(VENV)/.run-installed
	$(BIN)/coach run $(ARGS)

test: system-test $(VENV)/.dev-installed lint typecheck unit

unit: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check voice tests benchmarks
	$(BIN)/ruff format --check voice tests benchmarks

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format voice tests benchmarks
	$(BIN)/ruff check --fix voice tests benchmarks

bench: system-test $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks $(ARGS)

system-run:
	@./.ci/apt-ensure $(RUN_APT)

system-test:
	@./.ci/apt-ensure $(TEST_APT)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.run-installed

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
