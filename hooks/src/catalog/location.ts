import { HookSpec } from "./types.js";

const LM = "android.location.LocationManager";
const TM = "android.telephony.TelephonyManager";
const WM = "android.net.wifi.WifiManager";

/** GMS entry point whose result's concrete class gets the fused-location hooks. */
export const FUSED_FACTORY = {
  className: "com.google.android.gms.location.LocationServices",
  method: "getFusedLocationProviderClient",
};
/** Methods of the fused client seen at call sites; the full list is unverified. */
export const FUSED_METHODS = ["getLastLocation", "getCurrentLocation", "requestLocationUpdates"];

// All request overloads share one group: public overloads funnel into one request method
// (private on API 29, public on 31+), which must not count a second time.
export const locationHooks: HookSpec[] = [
  { category: "location", className: LM, method: "getLastKnownLocation", dataType: "location", summary: "first-arg" },
  { category: "location", className: LM, method: "requestLocationUpdates", dataType: "location_updates", summary: "first-arg", group: "location-request" },
  { category: "location", className: LM, method: "requestSingleUpdate", dataType: "location_single", summary: "first-arg", group: "location-request" },
  { category: "location", className: LM, method: "getCurrentLocation", dataType: "location_single", summary: "first-arg", group: "location-request" },
  { category: "location", className: TM, method: "getCellLocation", dataType: "cell_location", summary: "none" },
  { category: "location", className: TM, method: "getAllCellInfo", dataType: "cell_info", summary: "none" },
  { category: "location", className: TM, method: "requestCellInfoUpdate", dataType: "cell_info", summary: "none" },
  { category: "location", className: WM, method: "getConnectionInfo", dataType: "wifi_info", summary: "none" },
  { category: "location", className: WM, method: "getScanResults", dataType: "wifi_scan", summary: "none" },
  // startScan() calls the hidden startScan(WorkSource): one group.
  { category: "location", className: WM, method: "startScan", dataType: "wifi_scan", summary: "none" },
];
