/**
 * The write verbs on raw input: the input schemas (zod) first, then write.ts. Kept apart from
 * write.ts so a caller that vouched for its input otherwise (the CLI's plain check,
 * store_plain.ts) writes without loading zod (`store` start-up, docs/benchmarks.md).
 *
 * @module
 */
import type { MemoryRecord } from "../store/mod.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";
import type { Runtime } from "./runtime.ts";
import { parseInput, type StoreInput, StoreInputSchema, UpdateInputSchema } from "./schemas.ts";
import { checkLimits, storeMemories, type StoreResult, updateValid } from "./write.ts";

/** Validate one raw store input (shape and configured limits). */
export function validateStoreInput(rt: Runtime, raw: unknown): StoreInput {
  const input = parseInput(StoreInputSchema, raw);
  checkLimits(rt, input);
  return input;
}

/** Store one memory. */
export async function storeMemory(rt: Runtime, raw: unknown): Promise<StoreResult> {
  refuseWhileStopped(rt.loaded.home, "store");
  return (await storeMemories(rt, [validateStoreInput(rt, raw)]))[0];
}

/** Update content, tags, type, category, status or metadata; content changes re-embed. */
export async function updateMemory(rt: Runtime, raw: unknown): Promise<MemoryRecord> {
  refuseWhileStopped(rt.loaded.home, "update");
  return await updateValid(rt, parseInput(UpdateInputSchema, raw));
}
