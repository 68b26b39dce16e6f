/**
 * Argument and return-value summaries. Each hook in the catalog names one summary kind;
 * a summary is short text for the report, never the app's object itself.
 */

export const MAX_SUMMARY = 256;

// Java objects as frida-java-bridge wrappers; only toString() and getters are used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JavaValue = any;

export type SummaryKind =
  | "none"
  | "first-arg"
  | "settings-key"
  | "uri"
  | "intent"
  | "string-array";

export function clip(text: string): string {
  return text.length > MAX_SUMMARY ? text.slice(0, MAX_SUMMARY) + "…" : text;
}

export function describe(value: JavaValue): string {
  if (value === null || value === undefined) {
    return "null";
  }
  if (typeof value === "object" && "$className" in value) {
    return clip(String(value.toString()));
  }
  return clip(String(value));
}

function describeIntent(intent: JavaValue): string {
  if (intent === null) {
    return "null";
  }
  const parts: string[] = [];
  const component = intent.getComponent();
  if (component !== null) {
    parts.push(`cmp=${component.getPackageName()}/${component.getClassName()}`);
  }
  const pkg = intent.getPackage();
  if (pkg !== null) {
    parts.push(`pkg=${pkg}`);
  }
  const action = intent.getAction();
  if (action !== null) {
    parts.push(`act=${action}`);
  }
  return clip(parts.join(" "));
}

export function summarise(kind: SummaryKind, args: JavaValue[]): string {
  switch (kind) {
    case "none":
      return "";
    case "first-arg":
      return args.length > 0 ? describe(args[0]) : "";
    case "settings-key":
      return describe(args[1]);
    case "uri":
      return describe(args[0]);
    case "intent":
      return describeIntent(args[0]);
    case "string-array": {
      const values = args[0];
      if (values === null) {
        return "null";
      }
      const items: string[] = [];
      for (let i = 0; i < values.length; i++) {
        items.push(String(values[i]));
      }
      return clip(items.join(","));
    }
  }
}
