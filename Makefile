# Two commands on a fresh machine: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
EMULATORS := .venv-emulators
CHECKOV := .venv-checkov
STAMP := $(VENV)/.installed

.PHONY: demo test setup system-deps lint clean local-cloud

demo: system-deps $(STAMP)
	$(VENV)/bin/adloop demo

test: setup
	$(VENV)/bin/pytest -q

setup: system-deps $(STAMP) $(EMULATORS)/.installed $(CHECKOV)/.installed

system-deps:
	./scripts/install-system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# The Cloud Tasks emulator pins protobuf<5, which the Google client libraries cannot share:
# it gets its own environment, and the contract tests start it from there.
$(EMULATORS)/.installed:
	$(PYTHON) -m venv $(EMULATORS)
	$(EMULATORS)/bin/pip install -q gcloud-tasks-emulator==0.6.2
	touch $@

# checkov pins packages the project cannot share: its own environment too.
$(CHECKOV)/.installed:
	$(PYTHON) -m venv $(CHECKOV)
	$(CHECKOV)/bin/pip install -q checkov==3.3.30
	touch $@

# The production shape on this machine: every function as terraform deploys it, behind a
# Cloud Run-like front door, with the Firestore, GCS and Cloud Tasks emulators (docs/deploy.md).
local-cloud: setup
	$(VENV)/bin/python -m tests.e2e.cloud

lint: setup
	$(VENV)/bin/ruff check shared functions gpu_jobs bot infra tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(EMULATORS) $(CHECKOV) .adloop
