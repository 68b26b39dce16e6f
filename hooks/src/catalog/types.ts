import { Category } from "../lib/protocol.js";
import { SummaryKind } from "../lib/summarise.js";

/**
 * One catalog row: which method to hook and how to record its calls. Every overload of
 * `method` present in the target is replaced unless `overloads` narrows the set.
 */
export interface HookSpec {
  category: Category;
  className: string;
  method: string;
  /** Kind of data the call reads or action it takes, e.g. "imei" or "app_list". */
  dataType: string;
  summary: SummaryKind;
  /** Argument that `summary` describes, when not the kind's usual one. */
  summaryArg?: number;
  /** Explicit overloads as frida argument-type lists; all overloads when absent. */
  overloads?: string[][];
  /**
   * Calls nested in another call of the same group on the same thread are not recorded,
   * so a framework method that delegates to a hooked overload counts once.
   */
  group?: string;
  /** Record only calls whose argument at `arg` (as text) is one of `values`. */
  onlyWhen?: { arg: number; values: string[] };
  /** Record only calls whose argument at `arg` names a package other than the app's. */
  otherPackageArg?: number;
  /** Record only calls whose Intent argument at this index targets another package. */
  otherPackageIntentArg?: number;
  /** Return values the platform gives instead of the real data (recorded as "placeholder"). */
  placeholders?: (string | null)[];
  /** For consent signals: the boolean argument that carries the decision (true = agree). */
  decisionArg?: number;
  /** Derive category and data type from the content URI authority of argument 0. */
  classifyUri?: boolean;
  /** Record only the first call in the process (lifecycle moments such as the first screen). */
  once?: boolean;
}
