import { HookSpec } from "./types.js";

const TM = "android.telephony.TelephonyManager";

// Android 10+ returns null or throws for privileged IDs; both still count as an attempt.
const PRIVILEGED = { placeholders: [null] };

export const identifierHooks: HookSpec[] = [
  { category: "identifiers", className: TM, method: "getDeviceId", dataType: "imei", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getImei", dataType: "imei", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getMeid", dataType: "meid", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getSubscriberId", dataType: "imsi", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getSimSerialNumber", dataType: "iccid", summary: "first-arg", placeholders: [null, ""] },
  { category: "identifiers", className: TM, method: "getLine1Number", dataType: "phone_number", summary: "first-arg", placeholders: [null, ""] },
  {
    category: "identifiers",
    className: "android.provider.Settings$Secure",
    method: "getString",
    dataType: "android_id",
    summary: "settings-key",
    overloads: [["android.content.ContentResolver", "java.lang.String"]],
    onlyWhen: { arg: 1, values: ["android_id"] },
  },
  {
    category: "identifiers",
    className: "android.os.Build",
    method: "getSerial",
    dataType: "serial",
    summary: "none",
    placeholders: ["unknown"],
  },
  {
    category: "identifiers",
    className: "android.net.wifi.WifiInfo",
    method: "getMacAddress",
    dataType: "mac",
    summary: "none",
    placeholders: ["02:00:00:00:00:00"],
  },
];
