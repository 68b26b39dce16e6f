#!/usr/bin/env bash
# Install the Android SDK packages for an x86_64 emulator and create an AVD.
#
# Environment:
#   API       Android API level of the system image (default 34)
#   AVD_NAME  name of the AVD to create (default privmon-api$API)
#   ANDROID_SDK_ROOT or ANDROID_HOME  SDK folder that contains cmdline-tools (required)
set -euo pipefail

API="${API:-34}"
AVD_NAME="${AVD_NAME:-privmon-api${API}}"
SDK="${ANDROID_SDK_ROOT:-${ANDROID_HOME:-}}"
if [[ -z "$SDK" ]]; then
  echo "error: set ANDROID_SDK_ROOT (or ANDROID_HOME) to the Android SDK folder" >&2
  exit 2
fi

# google_apis images allow `adb root`, which frida-server needs. google_play images do not.
IMAGE="system-images;android-${API};google_apis;x86_64"
BIN="$SDK/cmdline-tools/latest/bin"
if [[ ! -x "$BIN/sdkmanager" ]]; then
  echo "error: sdkmanager not found in $BIN. Install the Android command-line tools" >&2
  exit 2
fi

yes | "$BIN/sdkmanager" --licenses >/dev/null || true
"$BIN/sdkmanager" --install "platform-tools" "emulator" "platforms;android-${API}" "$IMAGE"
echo "no" | "$BIN/avdmanager" create avd --force --name "$AVD_NAME" --package "$IMAGE" \
  --device pixel_6
echo "Created AVD $AVD_NAME from $IMAGE"
