# partnerdir: `make build` and `make test` bootstrap .venv from pyproject.toml, then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help build check test lint typecheck serve bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The venv is rebuilt whenever pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

build: $(STAMP) ## check content/ and build the site into site/
	$(BIN)/python build.py build $(ARGS)

serve: $(STAMP) ## build, serve on localhost and rebuild on change
	$(BIN)/python build.py serve $(ARGS)

test: $(STAMP) ## run the whole test suite, browser tests included
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP) ## ruff on the code
	$(BIN)/ruff check partnerdir tests bench build.py
	$(BIN)/ruff format --check partnerdir tests bench build.py

typecheck: $(STAMP) ## mypy (strict) on the package
	$(BIN)/mypy

check: lint typecheck test ## ruff, mypy and the tests

bench: $(STAMP) ## benchmark against Hugo + Pagefind (see bench/README.md)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py $(ARGS)

# The workflows install exactly these versions, checked by hash (pip --require-hashes), never
# ranges: `make lock` re-resolves pyproject.toml's runtime dependencies to their newest allowed
# versions. Run it when pyproject.toml changes, and commit requirements.lock.
lock: $(STAMP) ## pin the runtime dependencies, with hashes, in requirements.lock
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4'
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file=requirements.lock pyproject.toml

clean: ## remove the venv, build output and caches
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
