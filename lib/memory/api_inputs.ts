/**
 * Request shapes that only exist on the wire: batches, and memoryOSS recall fields we accept
 * for compatibility. Validation errors inside a batch name the item (`memories.3.content: …`).
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import type { Runtime } from "./runtime.ts";
import { parseInput, type RecallInput, RecallInputSchema, type StoreInput } from "./schemas.ts";
import { validateStoreInput } from "./write_input.ts";

export const StoreBatchInputSchema = z.strictObject({
  memories: z.array(z.unknown()).min(1, "empty batch").max(1000, "batch too large (max 1000)"),
});

export const RecallBatchInputSchema = z.strictObject({
  queries: z.array(z.unknown()).min(1, "empty batch").max(10, "batch too large (max 10)"),
});

/** memoryOSS recall fields accepted and ignored: reads here are always strongly consistent. */
const CompatRecallFields = z.strictObject({
  consistency: z.enum(["strong", "eventual"]).optional(),
});

function prefixed(e: unknown, prefix: (string | number)[]): never {
  if (e instanceof MemoryossError) {
    const inner = e.path.join(".");
    const rest = inner && e.message.startsWith(`${inner}:`)
      ? e.message.slice(inner.length + 1).trim()
      : e.message;
    const path = [...prefix, ...e.path];
    throw new MemoryossError(e.code, `${path.join(".")}: ${rest}`, path);
  }
  throw e;
}

/** Validate every item of a store batch (nothing is stored when any item is bad). */
export function validateStoreBatch(rt: Runtime, raw: unknown): StoreInput[] {
  const { memories } = parseInput(StoreBatchInputSchema, raw);
  return memories.map((m, i) => {
    try {
      return validateStoreInput(rt, m);
    } catch (e) {
      prefixed(e, ["memories", i]);
    }
  });
}

/**
 * A recall request as memoryOSS clients send it: `limit` above 100 is clamped to 100 (as
 * memoryOSS does) and `consistency` is accepted; everything else must match
 * {@link RecallInputSchema}.
 */
export function parseRecallRequest(raw: unknown, path: (string | number)[] = []): RecallInput {
  try {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      throw new MemoryossError("INVALID_INPUT", "expected a JSON object");
    }
    const { consistency, ...rest } = raw as Record<string, unknown>;
    parseInput(CompatRecallFields, consistency === undefined ? {} : { consistency });
    if (typeof rest.limit === "number" && Number.isInteger(rest.limit) && rest.limit > 100) {
      rest.limit = 100;
    }
    return parseInput(RecallInputSchema, rest);
  } catch (e) {
    if (path.length) prefixed(e, path);
    throw e;
  }
}
