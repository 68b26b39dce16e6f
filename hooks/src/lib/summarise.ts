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
  | "intent-filter"
  | "string-array"
  | "values"
  | "sensor"
  | "provider"
  | "class-of";

export function clip(text: string): string {
  return text.length > MAX_SUMMARY ? text.slice(0, MAX_SUMMARY) + "…" : text;
}

export function describe(value: JavaValue): string {
  if (value === null || value === undefined) {
    return "null";
  }
  if (typeof value === "object") {
    // The `in` operator on frida-java-bridge wrappers finds only Java members, so read $className.
    const className = value.$className;
    if (typeof className === "string") {
      // Collections are summarised by size: their elements are the data being collected.
      if (typeof value.size === "function") {
        return `${className} (size ${value.size()})`;
      }
      return clip(String(value.toString()));
    }
    if (Array.isArray(value)) {
      return `array (length ${value.length})`;
    }
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

/** Primitive and string arguments as text; objects only by class, to keep summaries small. */
function describeValues(args: JavaValue[]): string {
  const parts = args.map((value) => {
    if (value === null || value === undefined) {
      return "null";
    }
    if (typeof value === "object" && "$className" in value) {
      return String(value.$className);
    }
    return String(value);
  });
  return clip(parts.join(","));
}

/** Summarises the sensor argument of registerListener as "type=N name". */
function describeSensor(sensor: JavaValue): string {
  if (sensor === null || sensor === undefined) {
    return "null";
  }
  return clip(`type=${sensor.getType()} ${sensor.getName()}`);
}

function describeFilter(filter: JavaValue): string {
  if (filter === null || filter === undefined) {
    return "null";
  }
  const actions: string[] = [];
  for (let i = 0; i < filter.countActions(); i++) {
    actions.push(String(filter.getAction(i)));
  }
  return clip(`act=${actions.join(",")}`);
}

function describeStrings(values: JavaValue): string {
  if (values === null || values === undefined) {
    return "null";
  }
  const items: string[] = [];
  for (let i = 0; i < values.length; i++) {
    items.push(String(values[i]));
  }
  return clip(items.join(","));
}

function classOf(value: JavaValue): string {
  return value === null || value === undefined ? "null" : String(value.$className);
}

/** Summarises a call's arguments; `index` picks the argument when not the kind's usual one. */
export function summarise(kind: SummaryKind, args: JavaValue[], index?: number): string {
  switch (kind) {
    case "none":
      return "";
    case "first-arg":
      return args.length > (index ?? 0) ? describe(args[index ?? 0]) : "";
    case "settings-key":
      return describe(args[index ?? 1]);
    case "uri":
      return describe(args[index ?? 0]);
    case "intent":
      return describeIntent(args[index ?? 0]);
    case "intent-filter":
      return describeFilter(args[index ?? 1]);
    case "string-array":
      return describeStrings(args[index ?? 0]);
    case "values":
      return describeValues(args);
    case "sensor":
      return describeSensor(args[index ?? 1]);
    case "provider": {
      // attachInfo(Context, ProviderInfo): the provider's authority; its class is in the stack.
      const info = args[index ?? 1];
      return info === null || info === undefined ? "null" : clip(String(info.authority.value));
    }
    case "class-of":
      return classOf(args[index ?? 0]);
  }
}
