#!/usr/bin/env bash
# Set up cogtrain on a Debian/Ubuntu machine: system libraries for PsychoPy
# (also headless, under Xvfb) and a virtual environment in .venv with the
# project, PsychoPy and the test tools.
#
#   bash scripts/setup.sh            # everything (window + tests)
#   bash scripts/setup.sh --core     # no PsychoPy: simulate, score, export only (servers)
set -euo pipefail
cd "$(dirname "$0")/.."

core_only=0
[[ "${1:-}" == "--core" ]] && core_only=1

# --- Debian packages (only the missing ones) -------------------------------------------
# xvfb/xauth: virtual screen for headless runs and window tests; xdotool: real key events in
# tests; libglu1-mesa, libfontconfig1: OpenGL and fonts for pyglet; libasound2 and
# libjack-jackd2-0: needed by psychtoolbox, whose keyboard gives hardware key timestamps;
# chromium: the tests open the HTML reports in a real browser (their charts are drawn by it).
if (( ! core_only )) && command -v dpkg >/dev/null; then
  need=()
  for p in xvfb xauth xdotool libglu1-mesa libfontconfig1 fonts-dejavu-core libasound2 libjack-jackd2-0 chromium; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if ((${#need[@]})); then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
fi

# --- Python environment ---------------------------------------------------------------
python3 -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
if (( core_only )); then
  "${pip[@]}" -e ".[test]"
else
  # PsychoPy without its 1.6 GB of optional dependencies; the [window] extra lists what
  # the battery's window actually needs.
  "${pip[@]}" --no-deps psychopy==2026.2.5
  "${pip[@]}" -e ".[window,test]"
  # Without psychtoolbox the keyboard silently falls back to a backend with poll-time stamps.
  .venv/bin/python -c "import psychtoolbox" || { echo "psychtoolbox does not import: check libasound2/libjack" >&2; exit 1; }
fi
echo "cogtrain is set up in .venv (try: .venv/bin/cogtrain --help)"
