#!/usr/bin/env bash
# Run the whole test suite; window tests run on a 24-bit virtual screen (Xvfb).
set -uo pipefail
cd "$(dirname "$0")/.."
run=(.venv/bin/python -m pytest -q -p no:cacheprovider "$@")
if [[ -z "${DISPLAY:-}" ]] && command -v xvfb-run >/dev/null; then
  run=(xvfb-run -a -s "-screen 0 1280x1024x24" "${run[@]}")
fi
"${run[@]}"
rc=$?
if [[ $rc -eq 5 ]]; then echo "no tests were collected" >&2; exit 1; fi
exit $rc
