// An agent written for Frida 16, where Java was a global: Frida 17 fails it at load.
Java.perform(function () {
  send({ type: "agent:ready", time: Date.now() });
});
