#!/usr/bin/env bash
# Set up a fresh Debian machine and either build the example dossier or run the tests.
#   bash scripts/setup.sh build   → system fonts + venv + `dossier check` and `dossier build` of the example
#   bash scripts/setup.sh test    → the same set-up plus chromium, then the whole test suite
# Idempotent: packages already present are not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=(python3 python3-venv python3-pip fonts-noto-cjk git)
[ "$what" = test ] && need+=(chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui)
missing=()
for p in "${need[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# The pinned, hashed dependency set (requirements.lock; refresh with scripts/lock.sh), then this
# package itself, built without isolation from the pinned setuptools: nothing unpinned is installed.
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ requirements.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --require-hashes -r requirements.lock
  .venv/bin/pip install --quiet --no-deps --no-build-isolation -e .
  touch "$stamp"
fi

case "$what" in
  build)
    .venv/bin/dossier check
    if .venv/bin/dossier build --help >/dev/null 2>&1; then
      .venv/bin/dossier build -o site
    fi
    ;;
  test)
    .venv/bin/ruff check src tests scripts
    .venv/bin/python -m pytest --durations=10
    ;;
  *) echo "usage: bash scripts/setup.sh build|test" >&2; exit 2 ;;
esac
