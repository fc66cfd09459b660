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

# Debian packages: WeasyPrint's libraries and a font (PDF letters), gettext (the English
# catalogue); the tests also drive Debian's Chromium and install axe-core with npm.
RUN_PACKAGES=(gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
TEST_PACKAGES=(chromium npm)

# Install the missing packages when we are root (as .ci/run does); otherwise stop at once
# with the one line to run.
debian_packages() {
  if ! command -v dpkg >/dev/null; then
    echo "Not a Debian system: make sure these are installed: $*" >&2
    return 0
  fi
  local need=()
  for pkg in "$@"; do
    if [ "$pkg" = npm ]; then  # Node's own installers bring npm without the Debian package
      command -v npm >/dev/null || need+=(npm)
    else
      dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    fi
  done
  if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip" >/dev/null 2>&1; then
    need+=(python3.11 python3.11-venv)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages. Install them once, then run ./dev.sh $cmd again:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
}

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
    debian_packages "${RUN_PACKAGES[@]}"
    setup ""
    # Development mode is explicit: the settings default to production behaviour.
    export DEBUG=${DEBUG:-true}
    # Links in the e-mails point to this server unless PORTAL_URL says otherwise.
    export PORTAL_URL=${PORTAL_URL:-http://127.0.0.1:$PORT}
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
    echo "  STEM-academies portal: http://127.0.0.1:$PORT/   (another port: PORT=8080 ./dev.sh run)"
    echo
    manage runserver "127.0.0.1:$PORT"
    ;;
  test)
    debian_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    setup "[dev]"
    axe
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    dev manage makemigrations --check --dry-run
    dev messages
    # One pytest process per core (PYTEST_WORKERS=0: a single process); each has its own
    # test database, and the worker and browser tests use private queues and folders.
    "$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
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
