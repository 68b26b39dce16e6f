#!/usr/bin/env bash
# Monitor one app through a UI scenario and write the HTML and JSON reports.
#
# Usage: run-scenario.sh PACKAGE SCENARIO [REPORT_DIR]
# Environment:
#   SERIAL   adb serial (default emulator-5554)
#   CONFIG   privmon run configuration (YAML), passed as --config when set
#   FAIL_ON  minimum severity that fails the run (default low)
# Exit code: privmon's own (0 clean, 1 findings, 2 usage or configuration error,
# 3 instrumentation failed or coverage incomplete).
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 PACKAGE SCENARIO [REPORT_DIR]" >&2
  exit 2
fi
PACKAGE="$1"
SCENARIO="$2"
REPORT_DIR="${3:-reports}"
SERIAL="${SERIAL:-emulator-5554}"
FAIL_ON="${FAIL_ON:-low}"

mkdir -p "$REPORT_DIR"
args=(run -D "$SERIAL" -f "$PACKAGE" --scenario "$SCENARIO"
  --db "$REPORT_DIR/privmon.db"
  --report-html "$REPORT_DIR/privmon.html"
  --report-json "$REPORT_DIR/privmon.json"
  --fail-on "$FAIL_ON")
if [[ -n "${CONFIG:-}" ]]; then
  args+=(--config "$CONFIG")
fi

status=0
privmon "${args[@]}" || status=$?
echo "privmon exited with $status; reports in $REPORT_DIR"
exit "$status"
