#!/usr/bin/env bash
# Set up a development copy of privmon: a virtualenv in .venv with privmon and its test
# tools, the agent's node modules, and a check for the JDK that runs the demo app.
set -euo pipefail
cd "$(dirname "$0")"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "bootstrap: $1 not found; install $2 (Debian/Ubuntu: apt-get install $2)" >&2
  return 1
}

need python3 python3
need node nodejs
need npm npm
if ! need javac openjdk-17-jdk-headless || ! need java openjdk-17-jdk-headless; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "${PRIVMON_NO_APT:-}" = "" ]; then
    echo "bootstrap: installing openjdk-17-jdk-headless with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
  else
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
npm ci --prefix hooks --no-audit --no-fund --loglevel=error
echo "bootstrap: ready (.venv/bin/privmon)" >&2
