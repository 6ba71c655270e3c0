/**
 * Whole-record I/O for portability (passport/history import, replay, branch, restore checks):
 * read every record of a namespace and insert or rewrite full records as given, keeping id,
 * status, timestamps and lineage. Unlike the write path there is no dedup or contradiction
 * pass here; callers plan those first. Vectors are always recomputed by `rt.embedder`.
 */
import { MemoryossError } from "../errors/mod.ts";
import { isUnreadableMetadata, type MemoryRecord, type StoredMemory } from "../store/mod.ts";
import type { Runtime } from "./runtime.ts";
import { linkMemories, relinkUpdated } from "../graph/mod.ts";
import { checkJsonInput, checkText, MAX_METADATA_BYTES } from "./input_checks.ts";

const PAGE = 1000;
const EMBED_BATCH = 256;

/**
 * Every record of `namespace`, oldest first; archived ones too unless `includeArchived` is false.
 *
 * @example
 * ```ts
 * const all = namespaceRecords(rt, "proj").map((m) => m.record);
 * ```
 */
export function namespaceRecords(
  rt: Runtime,
  namespace: string,
  includeArchived = true,
): StoredMemory[] {
  const out: StoredMemory[] = [];
  const filter = { namespace, archived: includeArchived ? "include" as const : "exclude" as const };
  for (let offset = 0;; offset += PAGE) {
    const page = rt.store.list(filter, { limit: PAGE, offset, order: "oldest" });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/**
 * Number of records in `namespace`, archived included (replay needs an empty namespace).
 *
 * @example
 * ```ts
 * namespaceSize(rt, "clean"); // 0
 * ```
 */
export function namespaceSize(rt: Runtime, namespace: string): number {
  return rt.store.count({ namespace, archived: "include" });
}

/**
 * True when a record with this id exists in any namespace (ids are unique store-wide).
 *
 * @example
 * ```ts
 * idInUse(rt, "0190…"); // false
 * ```
 */
export function idInUse(rt: Runtime, id: string): boolean {
  return rt.store.getById(id) !== null;
}

/**
 * The input checks for a whole record (its text, tags and, for a new record, metadata), so
 * records from a file get in only as a store would let them. A rewrite must not replace
 * stored metadata that cannot be read (see lib/store safe_metadata) with a merged copy of
 * its marker: that would lose the stored text.
 */
function checkRecord(r: MemoryRecord, path: (string | number)[], before?: StoredMemory): void {
  checkText(r.content, [...path, "content"]);
  r.tags.forEach((t, j) => checkText(t, [...path, "tags", j]));
  if (isUnreadableMetadata(r.metadata)) return; // written back exactly as stored
  if (before && isUnreadableMetadata(before.record.metadata)) {
    throw new MemoryossError(
      "CONFLICT",
      `memory ${r.id} holds metadata that cannot be read; refusing to rewrite it ` +
        "(update its metadata or forget it first)",
      [...path, "metadata"],
    );
  }
  if (!before) checkJsonInput(r.metadata, [...path, "metadata"], { maxBytes: MAX_METADATA_BYTES });
}

/** Records to insert (new ids) and to rewrite (existing ids) in one {@link writeRecords}. */
export interface RecordWrites {
  insert?: MemoryRecord[];
  update?: MemoryRecord[];
}

/**
 * Insert and rewrite full records exactly as given, all in one transaction (so an import
 * lands whole or not at all), after the input checks every door applies (INVALID_INPUT
 * naming `insert.3.metadata` etc.; nothing is written then). Vectors are computed first,
 * outside the lock, for inserted records and for rewritten ones whose content changed.
 * Throws CONFLICT when an inserted id is already in use and NOT_FOUND when a rewritten id is
 * missing; nothing is written then.
 *
 * @example
 * ```ts
 * await writeRecords(rt, { insert: [newRecord({ id: uuidv7(), content: "x", namespace: "n",
 *   created_at: new Date().toISOString() })] });
 * ```
 */
export async function writeRecords(rt: Runtime, w: RecordWrites): Promise<void> {
  const inserts = w.insert ?? [];
  const updates = w.update ?? [];
  const before = new Map<string, StoredMemory>();
  inserts.forEach((r, i) => checkRecord(r, ["insert", i]));
  updates.forEach((r, i) => {
    const m = rt.store.getById(r.id);
    if (!m) throw new MemoryossError("NOT_FOUND", `no memory with id ${r.id}`, ["id"]);
    checkRecord(r, ["update", i], m);
    before.set(r.id, m);
  });
  const toEmbed = [
    ...inserts,
    ...updates.filter((r) => r.content !== before.get(r.id)!.record.content),
  ];
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < toEmbed.length; i += EMBED_BATCH) {
    const chunk = toEmbed.slice(i, i + EMBED_BATCH);
    const vs = await rt.embedder.embed(chunk.map((r) => r.content));
    chunk.forEach((r, j) => vectors.set(r.id, vs[j]));
  }
  const vec = (id: string) => {
    const v = vectors.get(id);
    return v ? { embedding: v, embedderId: rt.embedder.id } : undefined;
  };
  rt.store.transaction(() => {
    for (const r of inserts) {
      if (idInUse(rt, r.id)) {
        throw new MemoryossError("CONFLICT", `a memory with id ${r.id} already exists`, ["id"]);
      }
    }
    for (const r of inserts) rt.store.insert(r, vec(r.id));
    for (const r of updates) {
      const m = rt.store.getById(r.id);
      if (!m) throw new MemoryossError("NOT_FOUND", `no memory with id ${r.id}`, ["id"]);
      rt.store.update(m.pk, r, vec(r.id));
    }
    // Graph edges commit with the records (no semantic ones: a bulk write; `graph rebuild`
    // adds them). Rewritten records whose content changed are re-linked.
    linkMemories(rt.store, inserts.map((r) => r.id), { stats: rt.stats, fresh: true });
    relinkUpdated(rt.store, updates.filter((r) => vectors.has(r.id)).map((r) => r.id), {
      stats: rt.stats,
    });
  });
  rt.syncIndex();
}
