#!/usr/bin/env bash
# Refresh requirements.lock: the pinned, hashed dependency set that scripts/setup.sh installs.
#   bash scripts/lock.sh            → re-resolve pyproject.toml's ranges to today's newest releases
# Then run `bash scripts/setup.sh test` and commit the lock together with any fixes it needed.
# Uses uv (from PyPI, in a throw-away venv) for a universal lock: one file for every Python ≥ 3.11
# and platform, with the hashes of every file of each pinned release.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="$(mktemp -d)"
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool"
"$tool/bin/pip" install --quiet uv
# setuptools is pinned too: the editable install of this package is built without isolation.
echo "setuptools>=68" | "$tool/bin/uv" pip compile pyproject.toml - --extra test --universal \
  --python-version 3.11 --generate-hashes --no-header --quiet -o requirements.lock
echo "requirements.lock: $(grep -c '^[a-z]' requirements.lock) packages pinned"
