#!/usr/bin/env bash
# Set up everything Cowrite needs on a fresh Debian/Ubuntu machine: the system
# libraries Qt needs, then a virtual environment in .venv with Cowrite installed.
# Safe to run again: it only installs what is missing.
#
#   tools/bootstrap.sh          # what `make run` needs
#   tools/bootstrap.sh --test   # also what `make test` needs: a virtual X server (xvfb) and xdotool
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# python3-venv makes `python3 -m venv` work on Debian; libportaudio2 lets sounddevice play
# (Cowrite works without a sound card, it just stays silent); a font so text is drawn at all.
BASE_PACKAGES="python3-venv libportaudio2 fontconfig fonts-dejavu-core"
# What Qt's xcb platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and libQt6XcbQpa.so.6) links,
# read off `ldd` and mapped to packages with `dpkg -S` (tools/qt_system_libs.sh prints it again).
# Without these, the window aborts on a real desktop with 'Could not load the Qt platform plugin "xcb"'.
QT_PACKAGES="libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libx11-6 libx11-xcb1
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0"
# The tests start the real window on a virtual X server and drive it with xdotool. jackd2 is a real sound
# server (its dummy driver needs no sound card) that tests/test_jack_playback.py plays through and records
# from; stress-ng loads the CPU for benchmarks/realtime.py.
TEST_PACKAGES="xvfb xdotool x11-utils imagemagick jackd2 stress-ng"

wanted="$BASE_PACKAGES $QT_PACKAGES"
[ "${1:-}" = "--test" ] && wanted="$wanted $TEST_PACKAGES"

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $wanted; do
    # "installed", not merely known: a removed package keeps its config and `dpkg -s` still succeeds
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
  done
fi
# a Python without ensurepip cannot make a venv, whatever dpkg says
"$PYTHON" -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  # jackd2 asks at install whether to allow real-time priority; answer no beforehand, so nothing waits on a
  # question (the tests run jackd as the user who starts them, which needs no such limits)
  if [[ " ${missing[*]} " == *" jackd2 "* ]]; then
    echo "jackd2 jackd/tweak_rt_limits boolean false" | $SUDO debconf-set-selections
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi

# The check the list above answers to: every library the xcb plugin needs can be found.
if command -v ldd >/dev/null 2>&1; then
  unresolved=$(tools/qt_system_libs.sh --missing)
  if [ -n "$unresolved" ]; then
    echo "Qt's xcb platform plugin still misses: $unresolved" >&2
    echo "Install the packages that provide them (apt-file search NAME), then run this again." >&2
    exit 1
  fi
fi
