#!/usr/bin/env bash
# The README's commands. Usage: ./dev.sh run | test [pytest args] | bench [args] | lint
#   run    set up a virtual environment, migrate, load municipalities and demo data, start
#          web server and Celery worker together (SQLite + filesystem broker unless
#          DATABASE_URL / REDIS_URL are set)
#   test   set up and run the whole test suite (lint, migrations check, pytest)
#   bench  run the benchmarks in bench/ and print ratios against their baselines
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
PORT=${PORT:-8000}

setup() {
  local extras=$1
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet ".$extras"
    rm -rf build ./*.egg-info
    touch "$stamp"
  fi
}

manage() { "$VENV/bin/python" manage.py "$@"; }
# The settings default to production (DEBUG off, SECRET_KEY required): every command here is
# local development, so it says so explicitly. pytest needs no variable (tests/settings.py).
dev() { DEBUG=${DEBUG:-true} "$@"; }

# The English catalogue is compiled from locale/*.po; msgfmt comes from Debian's gettext.
messages() {
  if command -v msgfmt >/dev/null; then
    manage compilemessages --ignore "$VENV" -v0
  else
    echo "gettext (msgfmt) is not installed: the English UI stays untranslated." >&2
  fi
}

# axe-core, injected by the browser tests for accessibility checks, comes from npm.
axe() {
  if [ ! -f var/axe/node_modules/axe-core/axe.min.js ]; then
    if command -v npm >/dev/null; then
      npm install --prefix var/axe --no-audit --no-fund --silent axe-core@4
    else
      echo "npm is not installed: the accessibility checks (axe-core) will skip." >&2
    fi
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  run)
    setup ""
    # Development mode is explicit: the settings default to production behaviour.
    export DEBUG=${DEBUG:-true}
    mkdir -p "${STEMNET_VAR_DIR:-var}"
    manage migrate --noinput
    manage createcachetable
    manage load_municipalities
    manage setup_demo
    messages
    "$VENV/bin/celery" -A stemnet worker --loglevel=INFO --concurrency=2 &
    worker=$!
    trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
    echo
    echo "  STEM-academies portal: http://127.0.0.1:$PORT/"
    echo
    manage runserver "127.0.0.1:$PORT"
    ;;
  test)
    setup "[dev]"
    axe
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    dev manage makemigrations --check --dry-run
    dev messages
    "$VENV/bin/python" -m pytest "$@"
    ;;
  bench)
    setup "[dev]"
    dev "$VENV/bin/python" -m bench "$@"
    ;;
  lint)
    setup "[dev]"
    "$VENV/bin/ruff" check --fix .
    "$VENV/bin/ruff" format .
    ;;
  *)
    echo "usage: ./dev.sh run | test [pytest args] | bench [args] | lint" >&2
    exit 2
    ;;
esac
