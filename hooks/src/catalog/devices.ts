import { HookSpec } from "./types.js";

const CLIP = "android.content.ClipboardManager";
const SENSORS = "android.hardware.SensorManager";

export const deviceHooks: HookSpec[] = [
  // getText() calls getPrimaryClip(): one group. The other two make their own binder calls.
  { category: "clipboard", className: CLIP, method: "getPrimaryClip", dataType: "clipboard_read", summary: "none", group: "clipboard-read" },
  { category: "clipboard", className: CLIP, method: "getText", dataType: "clipboard_read", summary: "none", group: "clipboard-read" },
  { category: "clipboard", className: CLIP, method: "getPrimaryClipDescription", dataType: "clipboard_probe", summary: "none" },
  { category: "clipboard", className: CLIP, method: "hasPrimaryClip", dataType: "clipboard_probe", summary: "none" },
  // Public openCamera overloads, since the hidden openCameraForUid changes signature.
  { category: "camera", className: "android.hardware.camera2.CameraManager", method: "openCamera", dataType: "camera_open", summary: "first-arg", group: "camera-open" },
  { category: "camera", className: "android.hardware.Camera", method: "open", dataType: "camera_open", summary: "first-arg", group: "camera-open" },
  { category: "microphone", className: "android.media.AudioRecord", method: "startRecording", dataType: "audio_record", summary: "none" },
  { category: "microphone", className: "android.media.MediaRecorder", method: "setAudioSource", dataType: "audio_source", summary: "first-arg" },
  { category: "microphone", className: "android.media.MediaRecorder", method: "start", dataType: "media_record", summary: "none" },
  // The public overloads are concrete in SensorManager and all end in the abstract
  // registerListenerImpl of SystemSensorManager: hook the entry points, one group.
  { category: "sensors", className: SENSORS, method: "registerListener", dataType: "sensor", summary: "sensor", group: "sensor-register" },
];
