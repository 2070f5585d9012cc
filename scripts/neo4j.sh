#!/usr/bin/env bash
# A real Neo4j Community 5.26 LTS on 127.0.0.1, without Docker.
#
#   scripts/neo4j.sh start    fetch (first time) and start; prints the bolt URI
#   scripts/neo4j.sh stop     stop it cleanly
#   scripts/neo4j.sh status   print the bolt URI if running (exit 1 if not)
#   scripts/neo4j.sh uri      same as status
#
# Maven Central does not carry the unix tar.gz of the server distribution
# (org.neo4j.assembly:neo4j-community-standalone:5.26.x:tar.gz:unix answers 404), so the
# embedded database (org.neo4j:neo4j) and its Bolt connector (org.neo4j:neo4j-bolt) are
# fetched with mvn and started by scripts/neo4j/Launcher.java (single-file source launch).
#
# Folders (git-ignored): MAILLAGE_NEO4J_HOME, default .cache/neo4j, holds lib/ (the jars),
# data/ (the database), neo4j.pid, neo4j.port and neo4j.log. MAILLAGE_NEO4J_HEAP (default 4g)
# and MAILLAGE_NEO4J_TX_MEMORY (default 3g, the cap on all transactions' memory: keep it below
# the heap, so that an import too large for one transaction is refused, nothing written).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOME_DIR="${MAILLAGE_NEO4J_HOME:-$ROOT/.cache/neo4j}"
LIB="$HOME_DIR/lib"
DATA="$HOME_DIR/data"
PIDFILE="$HOME_DIR/neo4j.pid"
PORTFILE="$HOME_DIR/neo4j.port"
LOG="$HOME_DIR/neo4j.log"
WAIT_SECONDS="${MAILLAGE_NEO4J_WAIT:-120}"
JAVA_OPTS=(
  -Xms256m "-Xmx${MAILLAGE_NEO4J_HEAP:-4g}"
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
  -Dfile.encoding=UTF-8
)

running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

fetch() {
  if [[ -f "$LIB/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { echo "neo4j.sh: mvn (Maven) is needed to fetch Neo4j" >&2; exit 1; }
  command -v java >/dev/null || { echo "neo4j.sh: java 17 is needed to run Neo4j" >&2; exit 1; }
  echo "neo4j.sh: fetching Neo4j Community 5.26 jars from Maven Central into $LIB" >&2
  rm -rf "$LIB"
  mkdir -p "$LIB"
  mvn -q -B -f "$HERE/neo4j/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIB" -DincludeScope=runtime >&2
  touch "$LIB/.complete"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

bolt_answers() {
  # Bolt handshake: the magic preamble then four version proposals; a server answers 4 bytes.
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
try:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(bytes.fromhex("6060B017") + bytes.fromhex("00000505" "00000404" "00000003" "00000000"))
        answer = s.recv(4)
        sys.exit(0 if len(answer) == 4 and answer != b"\x00\x00\x00\x00" else 1)
except OSError:
    sys.exit(1)
PY
}

start() {
  if running; then
    echo "bolt://127.0.0.1:$(cat "$PORTFILE")"
    return 0
  fi
  fetch
  mkdir -p "$DATA"
  local port="${MAILLAGE_NEO4J_PORT:-$(free_port)}"
  echo "$port" >"$PORTFILE"
  nohup java "${JAVA_OPTS[@]}" -cp "$LIB/*" "$HERE/neo4j/Launcher.java" "$DATA" "$port" \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local waited=0
  until bolt_answers "$port"; do
    if ! running; then
      echo "neo4j.sh: Neo4j exited while starting; its log ($LOG) ends with:" >&2
      tail -n 30 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      exit 1
    fi
    if (( waited >= WAIT_SECONDS )); then
      echo "neo4j.sh: Bolt did not answer on port $port within ${WAIT_SECONDS}s; see $LOG" >&2
      stop >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "bolt://127.0.0.1:$port"
}

stop() {
  if ! running; then
    rm -f "$PIDFILE"
    echo "neo4j.sh: not running" >&2
    return 0
  fi
  local pid
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "neo4j.sh: Neo4j did not stop within 60s, killing it" >&2
    kill -KILL "$pid" || true
  fi
  rm -f "$PIDFILE"
  echo "neo4j.sh: stopped" >&2
}

status() {
  if running; then
    echo "bolt://127.0.0.1:$(cat "$PORTFILE")"
  else
    echo "neo4j.sh: not running" >&2
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status | uri) status ;;
  reset)
    stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
    ;;
  *)
    echo "usage: $0 start|stop|status|reset" >&2
    exit 2
    ;;
esac
