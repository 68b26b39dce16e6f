#!/usr/bin/env bash
# Start the emulator headless in the background and wait until Android finishes booting.
#
# Environment:
#   API           API level used by create-avd.sh (default 34)
#   AVD_NAME      AVD to boot (default privmon-api$API)
#   BOOT_TIMEOUT  seconds to wait for sys.boot_completed (default 600)
#   EMULATOR_LOG  file for the emulator's output (default emulator.log)
#   ANDROID_SDK_ROOT or ANDROID_HOME  SDK folder (required)
set -euo pipefail

API="${API:-34}"
AVD_NAME="${AVD_NAME:-privmon-api${API}}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-600}"
EMULATOR_LOG="${EMULATOR_LOG:-emulator.log}"
SDK="${ANDROID_SDK_ROOT:-${ANDROID_HOME:-}}"
if [[ -z "$SDK" ]]; then
  echo "error: set ANDROID_SDK_ROOT (or ANDROID_HOME) to the Android SDK folder" >&2
  exit 2
fi
ADB="$SDK/platform-tools/adb"

# -no-snapshot: a cold boot every time, so no state leaks in from an earlier run.
nohup "$SDK/emulator/emulator" -avd "$AVD_NAME" -no-window -no-audio -no-boot-anim \
  -no-snapshot -gpu swiftshader_indirect -port 5554 >"$EMULATOR_LOG" 2>&1 &
echo "emulator pid $!, output in $EMULATOR_LOG"

timeout "$BOOT_TIMEOUT" "$ADB" -s emulator-5554 wait-for-device
deadline=$((SECONDS + BOOT_TIMEOUT))
until [[ "$("$ADB" -s emulator-5554 shell getprop sys.boot_completed 2>/dev/null | tr -d '\r')" == "1" ]]; do
  if ((SECONDS >= deadline)); then
    echo "error: emulator-5554 did not finish booting within $BOOT_TIMEOUT s; see $EMULATOR_LOG" >&2
    exit 3
  fi
  sleep 5
done
# Animations slow UI scenarios down and make their timing vary.
for setting in window_animation_scale transition_animation_scale animator_duration_scale; do
  "$ADB" -s emulator-5554 shell settings put global "$setting" 0
done
echo "emulator-5554 booted"
