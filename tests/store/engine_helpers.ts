/** Helpers of the engine suite (engine_suite.ts): hand-made records, batch rows, errors. */
import assert from "node:assert/strict";
import {
  type MemoryEngine,
  type MemoryRecord,
  type MemoryWrite,
  newRecord,
} from "../../lib/store/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

let seq = 0;

/** A record in `ns` with a fixed creation day (`day` 1–28 of January 2026). */
export function rec(ns: string, id: string, content: string, more: Partial<MemoryRecord> = {}) {
  const day = String(more.created_at ? 0 : (++seq % 28) + 1).padStart(2, "0");
  return newRecord({
    id,
    namespace: ns,
    content,
    created_at: `2026-01-${day}T00:00:00.000Z`,
    ...more,
  });
}

/** An insert row, with a vector of `embedderId` when `v` is given. */
export function ins(r: MemoryRecord, v?: number[], embedderId = "e1"): MemoryWrite {
  return {
    op: "insert",
    record: r,
    vector: v ? { embedding: new Float32Array(v), embedderId } : undefined,
  };
}

/** `p` rejects with a MemoryossError of `code`. */
export async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MemoryossError, `expected MemoryossError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** The ids `getMany` answers for these pks in `ns`. */
export async function ids(e: MemoryEngine, ns: string, pks: number[]): Promise<string[]> {
  return (await e.getMany(ns, pks)).map((m) => m.record.id);
}
