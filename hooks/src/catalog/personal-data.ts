import { Category } from "../lib/protocol.js";
import { HookSpec } from "./types.js";

/**
 * Content authorities that hold personal data, with the category and data type of a query.
 * Queries of other authorities (the app's own providers, settings) are not recorded.
 */
export const AUTHORITIES: Record<string, [Category, string]> = {
  "com.android.contacts": ["contacts", "contacts"],
  "contacts": ["contacts", "contacts"],
  "com.android.simphonebook": ["contacts", "sim_contacts"],
  "call_log": ["call_log", "call_log"],
  "sms": ["sms", "sms"],
  "mms": ["sms", "mms"],
  "mms-sms": ["sms", "sms"],
  "com.android.calendar": ["calendar", "calendar"],
  "media": ["media", "media"],
};

const AM = "android.accounts.AccountManager";

// query is final in ContentResolver and the 5-argument form delegates to the 6- and
// 4-argument forms, so every overload is hooked there and counted once per call. A
// ContentProviderClient query reaches the provider without ContentResolver.query.
export const personalDataHooks: HookSpec[] = [
  {
    category: "contacts", className: "android.content.ContentResolver", method: "query",
    dataType: "content_query", summary: "uri", classifyUri: true, group: "content-query",
  },
  {
    category: "contacts", className: "android.content.ContentProviderClient", method: "query",
    dataType: "content_query", summary: "uri", classifyUri: true, group: "content-query",
  },
  // getAccounts() and getAccountsByType() call hidden ...AsUser forms: one group.
  { category: "accounts", className: AM, method: "getAccounts", dataType: "accounts", summary: "none", group: "accounts" },
  { category: "accounts", className: AM, method: "getAccountsByType", dataType: "accounts", summary: "first-arg", group: "accounts" },
  { category: "accounts", className: AM, method: "getAccountsByTypeForPackage", dataType: "accounts", summary: "first-arg", group: "accounts" },
  { category: "accounts", className: AM, method: "getAccountsByTypeAndFeatures", dataType: "accounts", summary: "first-arg", group: "accounts" },
];
