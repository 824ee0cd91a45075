# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot run $(ARGS)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Every benchmark runs even if one misses its target; the status says whether any did.
bench: $(STAMP)
	status=0; \
	for b in content quiz updates broadcast roster checkin schedule reports; do $(PY) benchmarks/bench_$$b.py || status=1; done; \
	exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
