/**
 * privmon agent entry point. The collector loads this script, calls init(config) over RPC
 * (before resuming a spawned process), and receives namespaced messages:
 * agent:hello, hooks:status, agent:ready, stacks:add, events:add, agent:error, agent:stopped.
 */
import Java from "frida-java-bridge";
import { CATALOG } from "./catalog/index.js";
import { consentHooks } from "./catalog/consent.js";
import { HookSpec } from "./catalog/types.js";
import { EventBatcher } from "./lib/batch.js";
import { installHook } from "./lib/install.js";
import { whenJavaReady } from "./lib/jvm.js";
import { processName, processStartTime } from "./lib/process.js";
import { AgentConfig, HookStatusItem, PROTOCOL_VERSION } from "./lib/protocol.js";
import { Recorder } from "./lib/recorder.js";
import { createStackCapturer } from "./lib/stack.js";

const batcher = new EventBatcher(200, 50);
let recorder: Recorder | null = null;
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
  const active = new Recorder(batcher, createStackCapturer(config.stackDepth), currentThreadName());
  recorder = active;
  const specs: HookSpec[] = [...CATALOG, ...consentHooks(config.consentSignals)];
  const items: HookStatusItem[] = specs.map((spec, id) => installHook(spec, id, active, config.appId));
  hookProcessExit();
  send({ type: "hooks:status", items });
  send({
    type: "agent:ready",
    time: Date.now(),
    flavor: (Java as unknown as { api: { flavor: string } }).api.flavor,
  });
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
      batcher.flush();
      send({ type: "agent:exit", time: Date.now(), code, how: name });
      overload.call(this, code);
    };
  }
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
  /** Stops recording (every hook checks the flag first) and sends what is pending. */
  stop(): number {
    if (recorder !== null) {
      recorder.recording = false;
    }
    batcher.flush();
    send({ type: "agent:stopped", time: Date.now() });
    return batcher.lastSeq;
  },
  dispose(): void {
    batcher.flush();
  },
};
