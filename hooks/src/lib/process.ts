/** Facts about this process, read on the device so that times use the device clock. */

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux and Android kernels

export function processName(): string {
  try {
    const cmdline = File.readAllText("/proc/self/cmdline");
    return cmdline.split("\0")[0] || `pid ${Process.id}`;
  } catch (e) {
    return `pid ${Process.id}`;
  }
}

/** Returns the process start time in epoch ms, or null when /proc cannot be read. */
export function processStartTime(): number | null {
  try {
    const stat = File.readAllText("/proc/self/stat");
    // Fields after the parenthesised command name; starttime is field 22 overall.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = Number(fields[19]);
    const bootLine = File.readAllText("/proc/stat").split("\n").find((l) => l.startsWith("btime "));
    if (bootLine === undefined || !Number.isFinite(startTicks)) {
      return null;
    }
    const bootSeconds = Number(bootLine.split(" ")[1]);
    return Math.round((bootSeconds + startTicks / CLOCK_TICKS_PER_SECOND) * 1000);
  } catch (e) {
    return null;
  }
}
