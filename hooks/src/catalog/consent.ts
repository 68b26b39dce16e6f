import { ConsentSignal } from "../lib/protocol.js";
import { HookSpec } from "./types.js";

/**
 * Consent APIs of widely used SDKs, hooked in every run. The decision is the boolean
 * argument. Signatures come from the SDKs' public integration guides; Tencent LBS is left
 * out because its package names could not be verified.
 */
export const BUILTIN_CONSENT_SIGNALS: ConsentSignal[] = [
  { className: "com.amap.api.location.AMapLocationClient", method: "updatePrivacyAgree", decision: "argument", argIndex: 1 },
  { className: "com.amap.api.maps.MapsInitializer", method: "updatePrivacyAgree", decision: "argument", argIndex: 1 },
  { className: "com.umeng.commonsdk.UMConfigure", method: "submitPolicyGrantResult", decision: "argument", argIndex: 1 },
  { className: "cn.jiguang.api.utils.JCollectionAuth", method: "setAuth", decision: "argument", argIndex: 1 },
  { className: "com.baidu.mapapi.SDKInitializer", method: "setAgreePrivacy", decision: "argument", argIndex: 1 },
  { className: "com.baidu.location.LocationClient", method: "setAgreePrivacy", decision: "argument", argIndex: 0 },
  { className: "com.igexin.sdk.PushManager", method: "setPrivacyPolicyStrategy", decision: "argument", argIndex: 1 },
];

/**
 * AMap's updatePrivacyShow(Context, boolean contains, boolean shown) says the policy was
 * shown, not what the user decided, so it is a lifecycle event rather than a consent signal.
 */
export const privacyShownHooks: HookSpec[] = [
  "com.amap.api.location.AMapLocationClient",
  "com.amap.api.maps.MapsInitializer",
].map((className) => ({
  category: "lifecycle", className, method: "updatePrivacyShow", dataType: "privacy_shown",
  summary: "values", group: "privacy-shown",
}));

/**
 * Turns consent signals into hooks whose calls are consent events rather than collection.
 * The configured signals come first; a built-in one for the same method is dropped. The
 * hook status of a built-in signal has category "sdk_consent", so that an SDK the app
 * does not contain is not reported as a missing consent signal.
 */
export function consentHooks(signals: ConsentSignal[]): HookSpec[] {
  const configured = new Set(signals.map((s) => `${s.className}.${s.method}`));
  const builtin = BUILTIN_CONSENT_SIGNALS.filter((s) => !configured.has(`${s.className}.${s.method}`));
  return [
    ...signals.map((s) => signalHook(s, "consent")),
    ...builtin.map((s) => signalHook(s, "sdk_consent")),
  ];
}

function signalHook(signal: ConsentSignal, category: "consent" | "sdk_consent"): HookSpec {
  const spec: HookSpec = {
    category,
    className: signal.className,
    method: signal.method,
    dataType: signal.decision === "argument" ? "agree" : signal.decision,
    summary: "none",
    group: "consent-signal",
  };
  if (signal.decision === "argument") {
    spec.decisionArg = signal.argIndex ?? 0;
  }
  return spec;
}
