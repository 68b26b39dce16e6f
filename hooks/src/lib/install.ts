import Java from "frida-java-bridge";
import { HookSpec } from "../catalog/types.js";
import { AUTHORITIES } from "../catalog/personal-data.js";
import { CONTEXT_MOMENTS } from "../catalog/lifecycle.js";
import { Category, HookStatusItem, Outcome } from "./protocol.js";
import { Recorder } from "./recorder.js";
import { describe, summarise } from "./summarise.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JavaValue = any;
type Overload = Java.Method;
// A class wrapper from Java.use or ClassFactory.use: its members are looked up by name.
type ClassWrapper = Record<string, JavaValue>;

interface Classification {
  category: Category;
  dataType: string;
}

/**
 * Calls made by the agent itself to test its hooks. While `tid` is set, a hook called on
 * that thread notes its id in `fired` and records nothing.
 */
export const canaryState = { tid: -1, fired: new Set<number>() };

/** Called once, on the thread of the first lifecycle moment that has an app context. */
let contextListener: ((context: JavaValue) => void) | null = null;

export function onFirstContext(listener: (context: JavaValue) => void): void {
  contextListener = listener;
}

const firedOnce = new Set<number>();

/**
 * Replaces every selected overload of one catalog row, in the class as seen by `classes`
 * (a class loader's factory) or by the default loader. Each replacement calls the original
 * through its own overload object and returns its value untouched. A call that throws is
 * recorded with the exception class and the exception is rethrown to the app.
 */
export function installHook(
  spec: HookSpec, hookId: number, recorder: Recorder, appId: string,
  classes?: { use(name: string): ClassWrapper },
): HookStatusItem {
  const status: HookStatusItem = {
    hookId, category: spec.category, className: spec.className, method: spec.method,
    state: "installed", overloads: [],
  };
  let overloads: Overload[];
  try {
    overloads = selectOverloads(spec, classes);
  } catch (e) {
    const message = String(e);
    status.state = isMissing(message) ? "missing" : "failed";
    status.reason = message;
    return status;
  }
  try {
    overloads.forEach((overload, index) => {
      overload.implementation = makeReplacement(spec, hookId, index, overload, recorder, appId);
      status.overloads.push(signatureOf(overload));
    });
  } catch (e) {
    status.state = "failed";
    status.reason = String(e);
  }
  return status;
}

function selectOverloads(spec: HookSpec, classes?: { use(name: string): ClassWrapper }): Overload[] {
  const klass: ClassWrapper = classes === undefined ? Java.use(spec.className) : classes.use(spec.className);
  const method = klass[spec.method];
  if (method === undefined) {
    throw new Error(`method not found: ${spec.className}.${spec.method}`);
  }
  const overloads: Overload[] = spec.overloads === undefined
    ? method.overloads
    : spec.overloads.map((types) => method.overload(...types));
  if (spec.decisionArg === undefined) {
    return overloads;
  }
  // A decision read from an argument the method lacks would record every call as a refusal.
  const deciding = overloads.filter((o) => isBooleanType(o.argumentTypes[spec.decisionArg!]));
  if (deciding.length === 0) {
    throw new Error(
      `no overload of ${spec.className}.${spec.method} has a boolean argument ${spec.decisionArg}`);
  }
  return deciding;
}

function isBooleanType(type: { className?: string | null; name: string } | undefined): boolean {
  return type !== undefined && ["boolean", "java.lang.Boolean"].includes(type.className ?? type.name);
}

/**
 * Returns whether an install error means the class is absent. ART and HotSpot word that
 * error differently.
 */
export function isClassAbsent(message: string): boolean {
  return message.includes("ClassNotFoundException") || message.includes("NoClassDefFoundError");
}

function isMissing(message: string): boolean {
  return isClassAbsent(message) || message.startsWith("Error: method not found");
}

export function signatureOf(overload: Overload): string {
  const types = overload.argumentTypes.map((t) => t.className ?? t.name);
  return `${overload.methodName}(${types.join(",")})`;
}

function makeReplacement(
  spec: HookSpec, hookId: number, overloadIndex: number, overload: Overload,
  recorder: Recorder, appId: string,
): (...args: JavaValue[]) => JavaValue {
  const group = spec.group ?? `${spec.className}.${spec.method}`;
  const placeholders = spec.placeholders;
  const contextMoment = CONTEXT_MOMENTS.has(spec.dataType);
  return function (this: JavaValue, ...args: JavaValue[]): JavaValue {
    const tid = Process.getCurrentThreadId();
    if (tid === canaryState.tid) {
      canaryState.fired.add(hookId);
      return overload.call(this, ...args);
    }
    if (contextMoment && contextListener !== null) {
      const listener = contextListener;
      contextListener = null;
      listener(args[0]);
    }
    const classification = recorder.recording ? classify(spec, hookId, args, appId) : null;
    if (classification === null || !recorder.enter(tid, group)) {
      return overload.call(this, ...args);
    }
    const seq = recorder.batcher.takeSeq();
    const time = Date.now();
    let result: JavaValue;
    try {
      result = overload.call(this, ...args);
    } catch (e) {
      recorder.leave(tid, group);
      const summary = safeSummary(spec, args, recorder);
      recorder.record(seq, time, tid, hookId, overloadIndex, classification.category,
        classification.dataType, summary, "exception", exceptionClass(e));
      throw e;
    }
    recorder.leave(tid, group);
    const summary = safeSummary(spec, args, recorder);
    const outcome: Outcome = isPlaceholder(result, placeholders) ? "placeholder" : "returned";
    recorder.record(seq, time, tid, hookId, overloadIndex, classification.category,
      classification.dataType, summary, outcome, describe(result));
    return result;
  };
}

/** Returns the category and data type of this call, or null when it is not recorded. */
function classify(
  spec: HookSpec, hookId: number, args: JavaValue[], appId: string,
): Classification | null {
  if (spec.onlyWhen !== undefined) {
    const value = String(args[spec.onlyWhen.arg]);
    if (!spec.onlyWhen.values.includes(value)) {
      return null;
    }
  }
  if (spec.otherPackageArg !== undefined && String(args[spec.otherPackageArg]) === appId) {
    return null;
  }
  if (spec.otherPackageIntentArg !== undefined && !targetsOtherPackage(args[spec.otherPackageIntentArg], appId)) {
    return null;
  }
  if (spec.once === true) {
    if (firedOnce.has(hookId)) {
      return null;
    }
    firedOnce.add(hookId);
  }
  if (spec.decisionArg !== undefined) {
    return { category: "consent", dataType: args[spec.decisionArg] ? "agree" : "refuse" };
  }
  if (spec.classifyUri === true) {
    const uri = args[0];
    const authority = uri === null ? null : uri.getAuthority();
    const known = authority === null ? undefined : AUTHORITIES[String(authority)];
    return known === undefined ? null : { category: known[0], dataType: known[1] };
  }
  return { category: spec.category, dataType: spec.dataType };
}

/** Returns whether an Intent names a package other than the app's, by component or package. */
function targetsOtherPackage(intent: JavaValue, appId: string): boolean {
  if (intent === null || intent === undefined) {
    return false;
  }
  const component = intent.getComponent();
  const target = component !== null ? component.getPackageName() : intent.getPackage();
  return target !== null && String(target) !== appId;
}

function safeSummary(spec: HookSpec, args: JavaValue[], recorder: Recorder): string {
  try {
    return summarise(spec.summary, args, spec.summaryArg);
  } catch (e) {
    recorder.reportError(e);
    return "?";
  }
}

function isPlaceholder(result: JavaValue, placeholders: (string | null)[] | undefined): boolean {
  if (placeholders === undefined) {
    return false;
  }
  const text = result === null || result === undefined ? null : String(result);
  return placeholders.includes(text);
}

/** Java exceptions reach JS as Error("<class>: <message>") from frida-java-bridge. */
function exceptionClass(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const colon = text.indexOf(":");
  return colon === -1 ? text : text.slice(0, colon);
}
