# Maillage: two commands.
#   make run   create the virtual environment, install, load the demo into the embedded store
#              if it is empty, and serve on http://127.0.0.1:8000
#   make test  install, start the local Neo4j, run ruff, mypy and the whole pytest suite, stop Neo4j
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint neo4j-start neo4j-stop bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/maillage demo --if-empty
	@echo "Maillage on http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/api/v1/docs)"
	@echo "Log in to the demo as amina (BAR), coordinator or partner (viewer), password maillage-demo"
	$(BIN)/maillage serve

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

neo4j-start:
	bash scripts/neo4j.sh start

neo4j-stop:
	bash scripts/neo4j.sh stop

clean:
	bash scripts/neo4j.sh stop || true
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
