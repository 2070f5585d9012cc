#!/usr/bin/env bash
# The whole test run (what `make test` and CI do): lint, types, and every test on both stores.
# Starts the local Neo4j (scripts/neo4j.sh) unless NEO4J_URI points at one, and stops it after.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=.venv/bin

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy"
$BIN/mypy

if [[ -z "${NEO4J_URI:-}" ]]; then
  echo "== starting the local Neo4j"
  if ! NEO4J_URI="$(bash scripts/neo4j.sh start)"; then
    echo "Neo4j could not be started: the neo4j contract tests cannot run" >&2
    exit 1
  fi
  export NEO4J_URI
  trap 'bash scripts/neo4j.sh stop' EXIT
  echo "Neo4j at $NEO4J_URI"
fi

echo "== pytest"
# the 15 slowest tests are printed at the end, to keep the run quick
$BIN/pytest -v --durations=15 "$@"
