import { Category } from "../lib/protocol.js";
import { HookSpec } from "./types.js";

/**
 * Content authorities that hold personal data, with the category and data type of a query.
 * Queries of other authorities (the app's own providers, settings) are not recorded.
 */
export const AUTHORITIES: Record<string, [Category, string]> = {
  "com.android.contacts": ["contacts", "contacts"],
  "contacts": ["contacts", "contacts"],
  "call_log": ["call_log", "call_log"],
  "sms": ["sms", "sms"],
  "mms": ["sms", "mms"],
  "mms-sms": ["sms", "sms"],
  "com.android.calendar": ["calendar", "calendar"],
};

// query is final in ContentResolver and the 5-argument form delegates to the 6- and
// 4-argument forms, so every overload is hooked there and counted once per call.
export const personalDataHooks: HookSpec[] = [
  {
    category: "contacts",
    className: "android.content.ContentResolver",
    method: "query",
    dataType: "content_query",
    summary: "uri",
    classifyUri: true,
  },
];
