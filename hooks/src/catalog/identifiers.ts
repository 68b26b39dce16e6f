import { HookSpec } from "./types.js";

const TM = "android.telephony.TelephonyManager";
const SECURE = "android.provider.Settings$Secure";
const SYSTEM = "android.provider.Settings$System";

// Android 10+ returns null or throws for privileged IDs; both still count as an attempt.
const PRIVILEGED = { placeholders: [null] };
const MAC_PLACEHOLDER = "02:00:00:00:00:00";
const ANDROID_ID = { onlyWhen: { arg: 1, values: ["android_id"] }, group: "android-id" };

/** System properties that hold the serial number or another device identifier. */
export const ID_PROPERTIES = ["ro.serialno", "ro.boot.serialno", "ril.serialnumber", "ro.boot.cpuid"];

// Each TelephonyManager getter's no-argument form calls its (int) form: one group per
// method (the default) counts each app call once.
export const identifierHooks: HookSpec[] = [
  { category: "identifiers", className: TM, method: "getDeviceId", dataType: "imei", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getImei", dataType: "imei", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getMeid", dataType: "meid", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getSubscriberId", dataType: "imsi", summary: "first-arg", ...PRIVILEGED },
  { category: "identifiers", className: TM, method: "getSimSerialNumber", dataType: "iccid", summary: "first-arg", placeholders: [null, ""] },
  { category: "identifiers", className: TM, method: "getLine1Number", dataType: "phone_number", summary: "first-arg", placeholders: [null, ""] },
  {
    category: "identifiers", className: "android.telephony.SubscriptionInfo", method: "getIccId",
    dataType: "iccid", summary: "none", placeholders: [null, ""],
  },
  // Secure.getString and System.getString("android_id") both end in Secure.getStringForUser;
  // the entry points name the API the app called, the shared group counts the call once.
  {
    category: "identifiers", className: SECURE, method: "getString", dataType: "android_id",
    summary: "settings-key", overloads: [["android.content.ContentResolver", "java.lang.String"]],
    ...ANDROID_ID,
  },
  { category: "identifiers", className: SYSTEM, method: "getString", dataType: "android_id", summary: "settings-key", ...ANDROID_ID },
  { category: "identifiers", className: SECURE, method: "getStringForUser", dataType: "android_id", summary: "settings-key", ...ANDROID_ID },
  { category: "identifiers", className: "android.os.Build", method: "getSerial", dataType: "serial", summary: "none", placeholders: ["unknown"] },
  { category: "identifiers", className: "android.net.wifi.WifiInfo", method: "getMacAddress", dataType: "mac", summary: "none", placeholders: [MAC_PLACEHOLDER] },
  {
    category: "identifiers", className: "android.bluetooth.BluetoothAdapter", method: "getAddress",
    dataType: "bluetooth_mac", summary: "none", placeholders: [MAC_PLACEHOLDER],
  },
  // Bypass paths: the MAC through java.net, the serial through hidden SystemProperties.
  {
    category: "identifiers", className: "java.net.NetworkInterface", method: "getHardwareAddress",
    dataType: "mac", summary: "none", placeholders: [null],
  },
  {
    category: "identifiers", className: "android.os.SystemProperties", method: "get",
    dataType: "serial", summary: "first-arg", group: "system-property",
    onlyWhen: { arg: 0, values: ID_PROPERTIES }, placeholders: ["", "unknown"],
  },
  // Advertising IDs: GMS, the platform AdServices API and the MSA OAID SDK.
  {
    category: "identifiers", className: "com.google.android.gms.ads.identifier.AdvertisingIdClient",
    method: "getAdvertisingIdInfo", dataType: "advertising_id", summary: "none",
  },
  {
    category: "identifiers", className: "android.adservices.adid.AdIdManager", method: "getAdId",
    dataType: "advertising_id", summary: "none",
  },
  // IdSupplier.getOAID is an interface method, so the SDK entry point is hooked instead.
  {
    category: "identifiers", className: "com.bun.miitmdid.core.MdidSdkHelper", method: "InitSdk",
    dataType: "oaid", summary: "none", group: "oaid",
  },
];
