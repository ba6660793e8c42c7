#!/usr/bin/env bash
# Mutation testing with cosmic-ray, one module per process (see README, "Mutation testing").
# Usage: scripts/mutation.sh MODULE...   (names of mutation/*.toml; default: all of them)
# MUTATION_JOBS=2 measures two modules at once (default 1).
# Each module gets its own copy of the tracked files (build/mutation/tree-MODULE); mutants are written there,
# never into the checkout. The test command asks a fork server (scripts/mutation_forkserver.py) that has the
# libraries imported already, so a mutant's run does not pay for Python's start-up.
# A session (build/mutation/MODULE.sqlite) is resumed when it exists: delete it to measure again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/build/mutation"
jobs="${MUTATION_JOBS:-1}"
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=($(cd "$root/mutation" && ls *.toml | sed 's/\.toml$//'))
mkdir -p "$work"

measure() {
  local module="$1" tree="$work/tree-$1" session="$work/$1.sqlite" sockets server
  rm -rf "$tree"
  mkdir -p "$tree"
  (cd "$root" && git ls-files -z | xargs -0 tar cf -) | (cd "$tree" && tar xf -)
  ln -s "$root/.venv" "$tree/.venv"
  cd "$tree"
  # The tests must pass on the unmutated module (or every mutant would count as killed). This run also lets
  # pytest keep the assert-rewritten plugin modules it loads, which it cannot do in the runs below.
  local command
  command="$("$root/.venv/bin/python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["cosmic-ray"]["test-command"])' "mutation/$module.toml")"
  if ! env -u PYTHONDONTWRITEBYTECODE -u MUTATION_FORKSERVER bash -c "$command" >"$work/$module.baseline.log" 2>&1; then
    echo "== $module: the tests fail without a mutant, see $work/$module.baseline.log" >&2
    return 1
  fi
  # The migrated, empty database the tests copy, made once (the migrations use no mutated module).
  rm -f "$work/template-$module.sqlite"
  "$root/.venv/bin/python" -c 'import sys; from planner import migrate; from planner.db import make_engine
engine = make_engine(f"sqlite:///{sys.argv[1]}"); migrate.upgrade(engine); engine.dispose()' "$work/template-$module.sqlite"
  # Compiled once, checked against the source's hash on every import: the mutated module is always compiled
  # from what is on disk, the others load from their .pyc (the test runs write none: PYTHONDONTWRITEBYTECODE).
  "$root/.venv/bin/python" -m compileall -f -q --invalidation-mode checked-hash planner tests >/dev/null
  sockets="$(mktemp -d)"  # a short path: a Unix socket's name has at most 107 bytes
  PYTHONDONTWRITEBYTECODE=1 nice "$root/.venv/bin/python" scripts/mutation_forkserver.py serve "$sockets/server" &
  server=$!
  for _ in $(seq 100); do [ -S "$sockets/server" ] && break; sleep 0.1; done
  if [ ! -f "$session" ]; then
    "$root/.venv/bin/cosmic-ray" init "mutation/$module.toml" "$session"
    "$root/.venv/bin/python" scripts/mutation_session.py skip-annotations "$session"
  fi
  local status=0
  MUTATION_FORKSERVER="$sockets/server" PLANNER_TEST_SQLITE_TEMPLATE="$work/template-$module.sqlite" nice "$root/.venv/bin/cosmic-ray" exec "mutation/$module.toml" "$session" \
    || status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$sockets"
  echo "== $module: $("$root/.venv/bin/python" scripts/mutation_session.py score "$session")"
  return "$status"
}

status=0
running=0
for module in "${modules[@]}"; do
  if [ "$jobs" -le 1 ]; then
    (measure "$module") || status=$?
    continue
  fi
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=$?
    running=$((running - 1))
  fi
  (measure "$module") > "$work/$module.log" 2>&1 &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=$?
  running=$((running - 1))
done
[ "$jobs" -le 1 ] || for module in "${modules[@]}"; do tail -n 1 "$work/$module.log"; done
exit "$status"
