#!/usr/bin/env bash
# Mutation testing with cosmic-ray, one module at a time, one process (see README, "Mutation testing").
# Usage: scripts/mutation.sh MODULE...   (names of mutation/*.toml; default: all of them)
# Mutants are written into a copy of the tracked files under build/mutation/tree, never into the checkout.
# A session (build/mutation/MODULE.sqlite) is resumed when it exists: delete it to measure again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/build/mutation"
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=($(cd "$root/mutation" && ls *.toml | sed 's/\.toml$//'))
rm -rf "$work/tree"
mkdir -p "$work/tree"
(cd "$root" && git ls-files -z | xargs -0 tar cf -) | (cd "$work/tree" && tar xf -)
ln -s "$root/.venv" "$work/tree/.venv"
cd "$work/tree"
for module in "${modules[@]}"; do
  session="$work/$module.sqlite"
  [ -f "$session" ] || "$root/.venv/bin/cosmic-ray" init "mutation/$module.toml" "$session"
  nice "$root/.venv/bin/cosmic-ray" exec "mutation/$module.toml" "$session"
  echo "== $module"
  "$root/.venv/bin/cr-report" "$session" | tail -n 3
done
