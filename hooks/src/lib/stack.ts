import Java from "frida-java-bridge";

/**
 * Captures the Java stack of the calling thread and returns a small integer id. Each
 * distinct stack is sent once as `stacks:add`, so events carry only the id. Method names
 * are resolved once per method: on HotSpot through JVMTI GetStackTrace (one native call
 * per capture), on ART through Java.backtrace(), elsewhere through Throwable.
 */
export interface StackCapturer {
  capture(): number;
}

const NO_STACK = 0;

class StackTable {
  private ids = new Map<string, number>();

  idFor(key: string, frames: () => string[]): number {
    const known = this.ids.get(key);
    if (known !== undefined) {
      return known;
    }
    const id = this.ids.size + 1;
    this.ids.set(key, id);
    send({ type: "stacks:add", id, frames: frames() });
    return id;
  }
}

// Function numbers in the jvmtiInterface_1 table (jvmti.h, JDK 17), one-based.
const JVMTI_DEALLOCATE = 47;
const JVMTI_GET_CLASS_SIGNATURE = 48;
const JVMTI_GET_METHOD_NAME = 64;
const JVMTI_GET_METHOD_DECLARING_CLASS = 65;
const JVMTI_GET_STACK_TRACE = 104;
const FRAME_INFO_SIZE = 16; // jmethodID plus a 64-bit jlocation
// A NativeFunction releases the JS lock during the call by default, which would let another
// app thread reuse the shared buffers below mid-call.
const EXCLUSIVE: NativeFunctionOptions = { scheduling: "exclusive" };

class JvmtiStackCapturer implements StackCapturer {
  private table = new StackTable();
  private names = new Map<string, string>();
  private env: NativePointer;
  private getStackTrace: NativeFunction<number, [NativePointer, NativePointer, number, number, NativePointer, NativePointer]>;
  private getMethodName: NativeFunction<number, [NativePointer, NativePointer, NativePointer, NativePointer, NativePointer]>;
  private getDeclaringClass: NativeFunction<number, [NativePointer, NativePointer, NativePointer]>;
  private getClassSignature: NativeFunction<number, [NativePointer, NativePointer, NativePointer, NativePointer]>;
  private deallocate: NativeFunction<number, [NativePointer, NativePointer]>;
  private frames: NativePointer;
  private count: NativePointer;
  private scratch: NativePointer;

  constructor(jvmtiEnv: NativePointer, private depth: number) {
    this.env = jvmtiEnv;
    const table = jvmtiEnv.readPointer();
    const fn = (n: number) => table.add((n - 1) * Process.pointerSize).readPointer();
    const p = "pointer";
    this.getStackTrace = new NativeFunction(fn(JVMTI_GET_STACK_TRACE), "int", [p, p, "int", "int", p, p], EXCLUSIVE);
    this.getMethodName = new NativeFunction(fn(JVMTI_GET_METHOD_NAME), "int", [p, p, p, p, p], EXCLUSIVE);
    this.getDeclaringClass = new NativeFunction(fn(JVMTI_GET_METHOD_DECLARING_CLASS), "int", [p, p, p], EXCLUSIVE);
    this.getClassSignature = new NativeFunction(fn(JVMTI_GET_CLASS_SIGNATURE), "int", [p, p, p, p], EXCLUSIVE);
    this.deallocate = new NativeFunction(fn(JVMTI_DEALLOCATE), "int", [p, p], EXCLUSIVE);
    // Buffers are per capturer, not per thread: hooks run under the script's JS lock, and
    // the JVMTI calls keep it (exclusive scheduling), so two captures never overlap.
    this.frames = Memory.alloc(FRAME_INFO_SIZE * depth);
    this.count = Memory.alloc(4);
    this.scratch = Memory.alloc(Process.pointerSize * 3);
  }

  capture(): number {
    const rc = this.getStackTrace(this.env, NULL, 0, this.depth, this.frames, this.count);
    if (rc !== 0) {
      return NO_STACK;
    }
    const n = this.count.readS32();
    return this.table.idFor(this.keyOf(n), () => this.frameNames(n));
  }

  /**
   * Returns the captured frames' jmethodIDs as text. It reads the buffer in one copy, because
   * a NativePointer per frame on every hooked call cost microseconds (benchmarks/README.md).
   */
  private keyOf(n: number): string {
    const bytes = this.frames.readByteArray(n * FRAME_INFO_SIZE) ?? new ArrayBuffer(0);
    const words = new Uint32Array(bytes);
    const wide = Process.pointerSize === 8;
    let key = "";
    for (let i = 0; i < n; i++) {
      const at = i * (FRAME_INFO_SIZE / 4);
      key += words[at].toString(36);
      if (wide) {
        key += `.${words[at + 1].toString(36)}`;
      }
      key += ",";
    }
    return key;
  }

  /** Resolves the names of the frames still in the buffer, for a stack seen the first time. */
  private frameNames(n: number): string[] {
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      names.push(this.nameOf(this.frames.add(i * FRAME_INFO_SIZE).readPointer()));
    }
    return names;
  }

  private nameOf(method: NativePointer): string {
    const cacheKey = method.toString();
    const cached = this.names.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const name = this.resolve(method);
    this.names.set(cacheKey, name);
    return name;
  }

  private resolve(method: NativePointer): string {
    const out = this.scratch;
    if (this.getDeclaringClass(this.env, method, out) !== 0) {
      return "?";
    }
    const klass = out.readPointer();
    let className = "?";
    if (this.getClassSignature(this.env, klass, out, NULL) === 0) {
      className = classNameFromSignature(this.takeString(out));
    }
    let methodName = "?";
    if (this.getMethodName(this.env, method, out, NULL, NULL) === 0) {
      methodName = this.takeString(out);
    }
    return `${className}.${methodName}`;
  }

  private takeString(out: NativePointer): string {
    const chars = out.readPointer();
    const value = chars.readUtf8String() ?? "?";
    this.deallocate(this.env, chars);
    return value;
  }
}

function classNameFromSignature(signature: string): string {
  if (signature.startsWith("L") && signature.endsWith(";")) {
    return signature.slice(1, -1).replace(/\//g, ".");
  }
  return signature;
}

class ArtStackCapturer implements StackCapturer {
  private table = new StackTable();

  constructor(private depth: number) {}

  capture(): number {
    const trace = Java.backtrace({ limit: this.depth });
    return this.table.idFor(trace.id, () =>
      trace.frames.map((f) => `${f.className}.${f.methodName}`),
    );
  }
}

class ThrowableStackCapturer implements StackCapturer {
  private table = new StackTable();
  private throwable = Java.use("java.lang.Throwable");

  constructor(private depth: number) {}

  capture(): number {
    const elements = this.throwable.$new().getStackTrace();
    const frames: string[] = [];
    for (let i = 0; i < elements.length && i < this.depth; i++) {
      frames.push(`${elements[i].getClassName()}.${elements[i].getMethodName()}`);
    }
    return this.table.idFor(frames.join(","), () => frames);
  }
}

export function createStackCapturer(depth: number): StackCapturer {
  const api = (Java as unknown as { api: { flavor: string; jvmti?: { handle: NativePointer } } }).api;
  if (api.flavor === "jvm" && api.jvmti !== undefined) {
    return new JvmtiStackCapturer(api.jvmti.handle, depth);
  }
  if (api.flavor === "art") {
    return new ArtStackCapturer(depth);
  }
  return new ThrowableStackCapturer(depth);
}
