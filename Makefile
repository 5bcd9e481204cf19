# The two commands a newcomer needs: `make generate` and `make test`.
# Both bootstrap .venv from the pinned requirements.lock first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Empty: every release, the package from the newest; RELEASE=<date>: the releases up to it.
RELEASE ?=
GENERATE := $(BIN)/smdbgen generate $(if $(RELEASE),--release $(RELEASE))

.PHONY: generate test test-slow test-all test-office docs bench mutate format check-fresh lock reconstruct clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

generate: $(STAMP)
	$(GENERATE)
	@$(MAKE) --no-print-directory $(BIN)/smdb

# The vendor package, installed editable once, gives .venv the `smdb` command the README and
# its tests run (generated/python is committed, so a fresh clone has it before any generate).
$(BIN)/smdb: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  --no-deps --no-build-isolation -e generated/python

test: $(STAMP) $(BIN)/smdb $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest
	$(MAKE) --no-print-directory check-fresh

# The inherently slow tests `make test` leaves out (marked `slow`: fresh virtualenvs, sweeps
# over many inputs); `make test-all` runs both.
test-slow: $(STAMP) $(BIN)/smdb $(CHROMIUM)
	$(BIN)/pytest -m slow

test-all: test test-slow

# Debian's chromium for the docs' browser test (driven by Playwright, which downloads no
# browser): installed with apt-get when missing and run as root; otherwise the browser tests
# fail with one line naming it.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests (apt-get install chromium)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; \
	else echo "Note: $(CHROMIUM) is missing and not installable here (not root or no apt-get)"; fi

# Workbooks saved by a real office suite (installs libreoffice-calc-nogui when missing).
test-office: $(STAMP)
	$(BIN)/pytest -m office tests/importers

# The documentation site, into site/ (docs/reference/ comes from `make generate`).
docs: $(STAMP)
	$(GENERATE)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Speed figures, each against a baseline measured in the same run.
bench: $(STAMP)
	$(GENERATE)
	$(BIN)/python bench/run.py

# The broad mutation sweep, each mutant in a fresh copy (slow; not part of `make test`).
# MUTATE_ARGS="--all" for every mutant, "--kind reader --sample 5" for some; see README.
mutate: $(STAMP)
	$(BIN)/python -m tools.mutate $(MUTATE_ARGS)

# Regenerating must change no tracked file.
check-fresh: $(STAMP)
	$(GENERATE)
	@test -z "$$(git status --porcelain -- spec generated docs)" || \
	  (echo "Generated output is stale: run 'make generate' and commit the result." && exit 1)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin dependencies after editing requirements.in.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-header --allow-unsafe \
	  -o requirements.lock requirements.in

# Rebuild the reconstructed release sources from their transcription (maintainers only).
reconstruct: $(STAMP)
	$(BIN)/python -m tools.reconstruct $(if $(RELEASE),--release $(RELEASE))

clean:
	rm -rf $(VENV)
