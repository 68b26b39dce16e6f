// A minimal agent that reports ready and aborts its process when the host calls stop(),
// so that a test can make the app die while privmon is stopping it.
rpc.exports = {
  init() {
    send({
      type: "agent:hello", v: 1, pid: Process.id, process: "sleep", arch: Process.arch,
      platform: Process.platform, time: Date.now(),
    });
    send({ type: "hooks:status", items: [] });
    send({ type: "agent:ready", time: Date.now(), flavor: "none" });
  },
  stop() {
    // "propagate" lets the signal kill the process instead of becoming a JS error.
    new NativeFunction(Module.getGlobalExportByName("abort"), "void", [], { exceptions: "propagate" })();
  },
};
