# Bootstraps .venv from uv.lock on first use, then runs the bot or the tests.
PY ?= python3
VENV := .venv

.PHONY: run test install chat bench

$(VENV)/.synced: pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/uv sync --frozen --active --quiet
	touch $@

install: $(VENV)/.synced

run: install
	$(VENV)/bin/kulturbot serve

chat: install
	$(VENV)/bin/kulturbot chat

test: install
	$(VENV)/bin/pytest -q

bench: install
	$(VENV)/bin/python -m bench
