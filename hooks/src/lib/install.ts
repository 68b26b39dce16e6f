import Java from "frida-java-bridge";
import { HookSpec } from "../catalog/types.js";
import { AUTHORITIES } from "../catalog/personal-data.js";
import { Category, HookStatusItem, Outcome } from "./protocol.js";
import { Recorder } from "./recorder.js";
import { describe, summarise } from "./summarise.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JavaValue = any;
type Overload = Java.Method;

interface Classification {
  category: Category;
  dataType: string;
}

/**
 * Replaces every selected overload of one catalog row. Each replacement calls the original
 * through its own overload object and returns its value untouched; a call that throws is
 * recorded with the exception class and the exception is rethrown to the app.
 */
export function installHook(
  spec: HookSpec, hookId: number, recorder: Recorder, appId: string,
): HookStatusItem {
  const status: HookStatusItem = {
    hookId, category: spec.category, className: spec.className, method: spec.method,
    state: "installed", overloads: [],
  };
  let overloads: Overload[];
  try {
    overloads = selectOverloads(spec);
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

function selectOverloads(spec: HookSpec): Overload[] {
  const klass = Java.use(spec.className);
  const method = klass[spec.method];
  if (method === undefined) {
    throw new Error(`method not found: ${spec.className}.${spec.method}`);
  }
  if (spec.overloads === undefined) {
    return method.overloads;
  }
  return spec.overloads.map((types) => method.overload(...types));
}

function isMissing(message: string): boolean {
  return message.includes("ClassNotFoundException") || message.startsWith("Error: method not found");
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
  return function (this: JavaValue, ...args: JavaValue[]): JavaValue {
    const classification = recorder.recording ? classify(spec, args, appId) : null;
    const tid = Process.getCurrentThreadId();
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
function classify(spec: HookSpec, args: JavaValue[], appId: string): Classification | null {
  if (spec.onlyWhen !== undefined) {
    const value = String(args[spec.onlyWhen.arg]);
    if (!spec.onlyWhen.values.includes(value)) {
      return null;
    }
  }
  if (spec.otherPackageArg !== undefined && String(args[spec.otherPackageArg]) === appId) {
    return null;
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

function safeSummary(spec: HookSpec, args: JavaValue[], recorder: Recorder): string {
  try {
    return summarise(spec.summary, args);
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
