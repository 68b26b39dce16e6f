import { HookSpec } from "./types.js";

const LM = "android.location.LocationManager";

// All request overloads share one group: the API 29 public overloads funnel into a
// private requestLocationUpdates, which must not count a second time.
export const locationHooks: HookSpec[] = [
  { category: "location", className: LM, method: "getLastKnownLocation", dataType: "location", summary: "first-arg" },
  { category: "location", className: LM, method: "requestLocationUpdates", dataType: "location_updates", summary: "first-arg", group: "location-request" },
  { category: "location", className: LM, method: "requestSingleUpdate", dataType: "location_single", summary: "first-arg", group: "location-request" },
];
