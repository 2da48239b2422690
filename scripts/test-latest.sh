#!/usr/bin/env bash
# The test suite against the newest releases of every dependency (not the lock), in a venv of its own,
# so that an upgrade that breaks us is noticed before a fresh machine meets it. Run it weekly or before
# refreshing the lock (scripts/lock.sh). Needs the system packages scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${LATEST_VENV:-.venv-latest}"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet --upgrade --upgrade-strategy eager -e ".[test]"
"$venv/bin/pip" list --format=freeze | grep -v '^-e' > "$venv/versions.txt"
echo "newest releases: $(wc -l < "$venv/versions.txt") packages (list in $venv/versions.txt)"
"$venv/bin/ruff" check src tests scripts
"$venv/bin/python" -m pytest --durations=10 "$@"
