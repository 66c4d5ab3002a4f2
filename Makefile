# The two commands of the README. Each creates .venv on first use (and again only when
# pyproject.toml changes), then runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Options of `make report`, passed to the VGG-16 stage.
IMAGE   ?=
TARGET  ?=
WEIGHTS ?= imagenet
DEVICE  ?= auto
# WEIGHTS_REQUIRED=1: fail (exit 2, before any stage) where the weights cannot be had,
# instead of falling back to random ones (for CI).
WEIGHTS_REQUIRED ?=
REPORT_ARGS ?=

.PHONY: test report lint venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2

report: $(STAMP)
	$(PY) -m solution --out report --weights '$(WEIGHTS)' --device '$(DEVICE)' \
		$(if $(IMAGE),--image '$(IMAGE)') $(if $(TARGET),--target '$(TARGET)') \
		$(if $(filter 1 yes true,$(WEIGHTS_REQUIRED)),--strict) $(REPORT_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf report .pytest_cache .ruff_cache .hypothesis
