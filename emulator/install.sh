#!/usr/bin/env bash
# Install the app under test and frida-server on the emulator, then start frida-server.
#
# Usage: install.sh APK
# Environment:
#   SERIAL               adb serial (default emulator-5554)
#   FRIDA_SERVER_SHA256  expected SHA-256 of the frida-server download (optional, passed
#                        to `privmon server install --sha256`)
#   ADB                  adb binary (default adb on PATH)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 APK" >&2
  exit 2
fi
APK="$1"
SERIAL="${SERIAL:-emulator-5554}"
ADB="${ADB:-adb}"
if [[ ! -f "$APK" ]]; then
  echo "error: APK not found: $APK" >&2
  exit 2
fi

"$ADB" -s "$SERIAL" install -r "$APK"
# google_apis images run adbd as root after `adb root`, which frida-server needs.
"$ADB" -s "$SERIAL" root
"$ADB" -s "$SERIAL" wait-for-device

install_args=(server install -D "$SERIAL")
if [[ -n "${FRIDA_SERVER_SHA256:-}" ]]; then
  install_args+=(--sha256 "$FRIDA_SERVER_SHA256")
fi
privmon "${install_args[@]}"
privmon server start -D "$SERIAL"
