/**
 * privmon agent entry point. The collector loads this script, calls init(config) over RPC
 * (before resuming a spawned process), and receives namespaced messages:
 * agent:hello, hooks:status (again whenever a hook's state changes), agent:ready, canaries,
 * stacks:add, events:add, agent:error, agent:exit, agent:stopped.
 */
import Java from "frida-java-bridge";
import { CATALOG } from "./catalog/index.js";
import { consentHooks } from "./catalog/consent.js";
import { HookSpec } from "./catalog/types.js";
import { EventBatcher } from "./lib/batch.js";
import { runCanaries } from "./lib/canary.js";
import { onFirstContext } from "./lib/install.js";
import { HookRegistry } from "./lib/lifecycle.js";
import { whenJavaReady } from "./lib/jvm.js";
import { processName, processStartTime } from "./lib/process.js";
import { AgentConfig, PROTOCOL_VERSION } from "./lib/protocol.js";
import { Recorder } from "./lib/recorder.js";
import { createStackCapturer } from "./lib/stack.js";

const batcher = new EventBatcher(200, 50);
let recorder: Recorder | null = null;
let registry: HookRegistry | null = null;
let initialised = false;

function start(config: AgentConfig): void {
  batcher.configure(config.batchSize, config.flushIntervalMs);
  send({
    type: "agent:hello",
    v: PROTOCOL_VERSION,
    pid: Process.id,
    process: processName(),
    arch: Process.arch,
    platform: Process.platform,
    processStart: processStartTime(),
    time: Date.now(),
  });
  whenJavaReady(() => installAll(config), fatal);
}

function installAll(config: AgentConfig): void {
  const active = new Recorder(batcher, createStackCapturer(config.stackDepth), currentThreadName(), {
    callsPerSecond: config.floodCallsPerSecond,
    bucketMs: config.floodBucketMs,
    stackSample: config.floodStackSample,
  });
  recorder = active;
  const flavor = (Java as unknown as { api: { flavor: string } }).api.flavor;
  const hooks = new HookRegistry(active, config.appId);
  registry = hooks;
  const extra = (config.extraHooks ?? []) as HookSpec[];
  hooks.installAll([...CATALOG, ...consentHooks(config.consentSignals), ...extra]);
  hooks.watchFusedClient();
  hooks.watchNativeProperties(flavor);
  hooks.watchClassLoaders(flavor);
  hookProcessExit();
  hooks.send();
  scheduleCanaries(hooks);
  send({ type: "agent:ready", time: Date.now(), flavor });
}

/**
 * Canaries need an app Context. In an attached app it exists already; in a spawned one
 * they run at the first provider or Application creation, before that component's code.
 */
function scheduleCanaries(hooks: HookRegistry): void {
  const run = (context: unknown): void => {
    if (context === null || context === undefined) {
      return;
    }
    try {
      send({ type: "canaries", time: Date.now(), items: runCanaries(context, hooks.items) });
    } catch (e) {
      recorder?.reportError(`canaries failed: ${e}`);
    }
  };
  let application: unknown = null;
  try {
    application = Java.use("android.app.ActivityThread").currentApplication();
  } catch (e) {
    application = null; // no ActivityThread: not an Android runtime or a stand-in of one
  }
  if (application !== null) {
    run(application);
  } else {
    onFirstContext(run);
  }
}

function currentThreadName(): () => string {
  const Thread = Java.use("java.lang.Thread");
  return () => String(Thread.currentThread().getName());
}

// System.exit ends the process without unloading scripts first, so pending events are
// flushed here, on the exiting thread, before the original runs.
function hookProcessExit(): void {
  const Runtime = Java.use("java.lang.Runtime");
  for (const name of ["exit", "halt"]) {
    const overload = Runtime[name].overload("int");
    overload.implementation = function (this: unknown, code: number): void {
      announceExit(code, name);
      overload.call(this, code);
    };
  }
  hookLastThreadEnd();
}

// HotSpot's launcher calls Shutdown.shutdown() once the last non-daemon thread has ended,
// which is how a program whose main() returns exits. Android has no such class.
function hookLastThreadEnd(): void {
  let shutdown: Java.Method;
  try {
    shutdown = Java.use("java.lang.Shutdown").shutdown.overload();
  } catch (e) {
    return;
  }
  shutdown.implementation = function (this: unknown): void {
    announceExit(null, "end of the last non-daemon thread");
    shutdown.call(this);
  };
}

function announceExit(code: number | null, how: string): void {
  registry?.finish();
  batcher.flush();
  send({ type: "agent:exit", time: Date.now(), code, how });
}

function fatal(reason: string): void {
  send({ type: "agent:error", fatal: true, message: reason, count: 1 });
}

rpc.exports = {
  init(config: AgentConfig): void {
    if (initialised) {
      return;
    }
    initialised = true;
    start(config);
  },
  /**
   * Stops recording and sends what is pending. The replacements stay in place, and from
   * then on they only call the original, because every hook checks the flag before it
   * records. Restoring the originals on HotSpot can crash or hang an app whose threads are
   * inside the hooks (benchmarks/stop_while_busy.py), so a host that lets the app run on
   * keeps the script loaded (Script.eternalize) instead.
   */
  stop(): number {
    if (recorder !== null) {
      recorder.recording = false;
    }
    registry?.finish();
    batcher.flush();
    send({ type: "agent:stopped", time: Date.now() });
    return batcher.lastSeq;
  },
  /** Runs when the script unloads, also when the host is gone (killed privmon). */
  dispose(): void {
    registry?.unwatch();
    batcher.flush();
  },
};
