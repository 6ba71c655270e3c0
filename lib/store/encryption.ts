/**
 * Encryption maintenance over a whole store: status (rows per key and namespace), key
 * rotation that re-wraps every sealed row, and switching existing rows between plain and
 * sealed. Work runs in short batches, each its own transaction, walking rows by pk: a crash
 * mid-way leaves every row readable (old and new keys are both on disk until the end), and
 * running the same command again finishes the job.
 */
import { type FieldCipher, type KeyState, sealedKid } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import type { Store } from "./store.ts";
import { edgeDetailRef, looksSealed, openField, openRow, rememberPayloadRef } from "./sealed.ts";
import { contextRef, srcRef } from "./context.ts";
import { rebuildContextFts } from "./context_fill.ts";
import type { MemoryRow } from "./rows.ts";

/** Rows per namespace by key id ("" = plaintext). */
export interface NamespaceEncryption {
  namespace: string;
  encrypted: number;
  plain: number;
  by_kid: Record<string, number>;
}

/** What `encryption status` reports. */
export interface EncryptionStatus {
  enabled: boolean;
  index: "on" | "off";
  key_file: string | null;
  keyring_file: string | null;
  active_kid: string | null;
  /** "missing": rows use a key this home does not hold (unreadable until it is restored). */
  keys: {
    kid: string;
    state: KeyState | "missing";
    created_at: string;
    in_key_file: boolean;
    rows: number;
  }[];
  rotation_pending: boolean;
  namespaces: NamespaceEncryption[];
  totals: { encrypted: number; plain: number };
}

/** Progress of a batch pass. */
export type OnProgress = (done: number, total: number) => void;

/** The rows per key id and namespace, and the keyring's keys. */
export function encryptionStatus(store: Store): EncryptionStatus {
  const enc = store.encryption;
  const rows = store.prepare(
    `SELECT namespace, CASE WHEN content LIKE 'enc1:____________:%' THEN substr(content, 6, 12) ELSE '' END
       AS kid, count(*) AS n FROM memories GROUP BY namespace, kid ORDER BY namespace`,
  ).all() as { namespace: string; kid: string; n: number }[];
  const byNs = new Map<string, NamespaceEncryption>();
  const perKid = new Map<string, number>();
  const totals = { encrypted: 0, plain: 0 };
  for (const r of rows) {
    let s = byNs.get(r.namespace);
    if (!s) {
      byNs.set(r.namespace, s = { namespace: r.namespace, encrypted: 0, plain: 0, by_kid: {} });
    }
    if (r.kid) {
      s.encrypted += r.n;
      totals.encrypted += r.n;
      s.by_kid[r.kid] = (s.by_kid[r.kid] ?? 0) + r.n;
      perKid.set(r.kid, (perKid.get(r.kid) ?? 0) + r.n);
    } else {
      s.plain += r.n;
      totals.plain += r.n;
    }
  }
  const ring = enc?.cipher?.keyring;
  const keys: EncryptionStatus["keys"] = (ring?.entries() ?? []).map((e) => ({
    kid: e.kid,
    state: e.state,
    created_at: e.created_at,
    in_key_file: e.base,
    rows: perKid.get(e.kid) ?? 0,
  }));
  for (const [kid, n] of perKid) {
    // Rows sealed with a key this home does not hold: unreadable until the key is restored.
    if (!keys.some((k) => k.kid === kid)) {
      keys.push({ kid, state: "missing", created_at: "", in_key_file: false, rows: n });
    }
  }
  return {
    enabled: enc?.enabled ?? false,
    index: enc?.index ?? "on",
    key_file: ring?.keyPath ?? null,
    keyring_file: ring?.ringPath ?? null,
    active_kid: ring?.activeKid() ?? null,
    keys,
    rotation_pending: (ring?.retiringKids().length ?? 0) > 0,
    namespaces: [...byNs.values()],
    totals,
  };
}

function cipherOf(store: Store): FieldCipher {
  const c = store.encryption?.cipher;
  if (!c || !c.activeKid()) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "no encryption key: the home has no memoryoss.key (run any memory command to create one)",
    );
  }
  return c;
}

type Mode = "rotate" | "encrypt" | "decrypt";

/** Does this row need work in `mode`? */
function needs(mode: Mode, row: MemoryRow, active: string): boolean {
  const sealed = looksSealed(row.content) || looksSealed(row.metadata);
  if (mode === "encrypt") return !looksSealed(row.content) || !looksSealed(row.metadata);
  if (mode === "decrypt") return sealed;
  return sealed && (sealedKid(row.content) !== active || sealedKid(row.metadata) !== active);
}

function countNeeding(store: Store, mode: Mode, active: string): number {
  if (mode === "encrypt") {
    return (store.prepare(
      "SELECT count(*) AS n FROM memories WHERE content NOT LIKE 'enc1:____________:%' OR metadata NOT LIKE 'enc1:____________:%'",
    ).get() as { n: number }).n;
  }
  if (mode === "decrypt") {
    return (store.prepare(
      "SELECT count(*) AS n FROM memories WHERE content LIKE 'enc1:____________:%' OR metadata LIKE 'enc1:____________:%'",
    ).get() as { n: number }).n;
  }
  const p = `enc1:${active}:%`;
  return (store.prepare(
    "SELECT count(*) AS n FROM memories WHERE (content LIKE 'enc1:____________:%' AND content NOT LIKE ?) " +
      "OR (metadata LIKE 'enc1:____________:%' AND metadata NOT LIKE ?)",
  ).get(p, p) as { n: number }).n;
}

/** Values outside `memories` that quote memory text and are sealed the same way. */
const SIDE_VALUES = [
  {
    table: "memory_edges",
    column: "detail",
    keys: "src, dst, kind, namespace",
    ref: (r: Record<string, string>) =>
      edgeDetailRef({ namespace: r.namespace, src: r.src, dst: r.dst, kind: r.kind }),
  },
  {
    table: "remember_queue",
    column: "payload",
    keys: "namespace",
    ref: (r: Record<string, string>) => rememberPayloadRef(r.namespace),
  },
  {
    table: "memory_context",
    column: "text",
    keys: "namespace, id",
    ref: (r: Record<string, string>) => contextRef({ namespace: r.namespace, id: r.id }),
  },
  {
    table: "memory_context",
    column: "src",
    keys: "namespace, id",
    ref: (r: Record<string, string>) => srcRef({ namespace: r.namespace, id: r.id }),
  },
] as const;

/** Rows still sealed with `kid` (memories, graph edge details, queued facts). */
export function rowsWithKid(store: Store, kid: string): number {
  const p = `enc1:${kid}:%`;
  let n = (store.prepare(
    "SELECT count(*) AS n FROM memories WHERE content LIKE ? OR metadata LIKE ?",
  ).get(p, p) as { n: number }).n;
  for (const t of SIDE_VALUES) {
    n += (store.prepare(`SELECT count(*) AS n FROM ${t.table} WHERE ${t.column} LIKE ?`)
      .get(p) as { n: number }).n;
  }
  return n;
}

/**
 * The same pass over the side values, so a rotation never retires a key one of them still
 * needs and decrypt-all leaves nothing sealed.
 */
async function passSideValues(store: Store, mode: Mode, c: FieldCipher, o: PassOptions) {
  const batch = Math.max(1, o.batch ?? 200);
  for (const t of SIDE_VALUES) {
    const page = `SELECT rowid AS rid, ${t.keys}, ${t.column} AS value FROM ${t.table} ` +
      "WHERE rowid > ? ORDER BY rowid LIMIT ?";
    let last = 0;
    for (;;) {
      const more = store.transaction(() => {
        const active = c.activeKid()!;
        const rows = store.prepare(page).all(last, batch) as unknown as Record<string, string>[];
        for (const row of rows) {
          last = Number(row.rid);
          const sealed = looksSealed(row.value);
          const todo = mode === "encrypt"
            ? !sealed
            : mode === "decrypt"
            ? sealed
            : sealed && sealedKid(row.value) !== active;
          if (!todo) continue;
          const plain = openField(store.encryption, t.ref(row), row.value);
          const value = mode === "decrypt" ? plain : c.seal(t.ref(row), plain, active);
          store.prepare(`UPDATE ${t.table} SET ${t.column} = ? WHERE rowid = ?`)
            .run(value, row.rid);
        }
        return rows.length === batch;
      });
      if (!more) break;
      if (o.throttleMs) await new Promise((r) => setTimeout(r, o.throttleMs));
    }
  }
}

/** Options of a batch pass. */
export interface PassOptions {
  batch?: number;
  /** Pause between batches, to leave a live server room. */
  throttleMs?: number;
  onProgress?: OnProgress;
}

/** Walk every row by pk in batches of one transaction each; returns rows changed. */
async function pass(store: Store, mode: Mode, o: PassOptions): Promise<number> {
  const c = cipherOf(store);
  const batch = Math.max(1, o.batch ?? 200);
  const indexOff = store.encryption?.index === "off";
  const total = countNeeding(store, mode, c.activeKid()!);
  const page = "SELECT pk, id, namespace, content, tags_text, metadata FROM memories " +
    "WHERE pk > ? ORDER BY pk LIMIT ?";
  let last = 0;
  let done = 0;
  o.onProgress?.(0, total);
  for (;;) {
    const more = store.transaction(() => {
      const active = c.activeKid()!;
      const rows = store.prepare(page).all(last, batch) as unknown as MemoryRow[];
      for (const row of rows) {
        last = row.pk;
        if (!needs(mode, row, active)) continue;
        const plain = openRow(store.encryption, row);
        const ref = { namespace: row.namespace, id: row.id };
        const content = mode === "decrypt"
          ? plain.content
          : c.seal({ ...ref, field: "content" }, plain.content, active);
        const metadata = mode === "decrypt"
          ? plain.metadata
          : c.seal({ ...ref, field: "metadata" }, plain.metadata, active);
        // No rev bump: vectors and the record are unchanged, only their wrapping.
        store.prepare("UPDATE memories SET content = ?, metadata = ? WHERE pk = ?")
          .run(content, metadata, row.pk);
        if (indexOff && mode !== "rotate") {
          store.prepare("DELETE FROM memories_fts WHERE rowid = ?").run(row.pk);
          if (mode === "decrypt") {
            store.prepare("INSERT INTO memories_fts(rowid, content, tags_text) VALUES (?, ?, ?)")
              .run(row.pk, plain.content, row.tags_text);
          }
        }
        done++;
      }
      return rows.length === batch;
    });
    o.onProgress?.(Math.min(done, total), total);
    if (!more) {
      await passSideValues(store, mode, c, o);
      // Episode windows follow their rows in and out of the bm25 index, as content does.
      if (indexOff && mode !== "rotate") store.transaction(() => rebuildContextFts(store));
      return done;
    }
    if (o.throttleMs) await new Promise((r) => setTimeout(r, o.throttleMs));
  }
}

/** What a rotation did (or, dry run, would do). */
export interface RotateReport {
  dry_run: boolean;
  /** True when an interrupted rotation was finished instead of starting a new one. */
  resumed: boolean;
  active_kid: string;
  previous_kids: string[];
  rewrapped: number;
  retired: string[];
  /** Old keys kept because rows still reference them (should be none). */
  kept: { kid: string; rows: number }[];
}

/**
 * Rotate: a new key becomes active (written to the keyring before any row uses it), every
 * sealed row is re-wrapped with it, then old keys no row references are retired. When an
 * earlier rotation was interrupted (retiring keys remain), this finishes it instead.
 */
export async function rotateKeys(
  store: Store,
  o: PassOptions & { dryRun?: boolean; now?: Date } = {},
): Promise<RotateReport> {
  const c = cipherOf(store);
  c.reload();
  const ring = c.keyring;
  const pendingOld = ring.retiringKids();
  const resumed = pendingOld.length > 0;
  if (o.dryRun) {
    const active = ring.activeKid()!;
    const sealed = (store.prepare(
      "SELECT count(*) AS n FROM memories WHERE content LIKE 'enc1:____________:%' OR metadata LIKE 'enc1:____________:%'",
    ).get() as { n: number }).n;
    return {
      dry_run: true,
      resumed,
      active_kid: resumed ? active : "(new)",
      previous_kids: resumed ? pendingOld : [active],
      rewrapped: resumed ? countNeeding(store, "rotate", active) : sealed,
      retired: [],
      kept: [],
    };
  }
  // Deciding, writing the keyring and recording the kid happen under the database write lock,
  // so two rotations never both add a key: the second sees the first's retiring key and
  // finishes that rotation instead.
  const start = store.transaction(() => {
    c.reload();
    const old = ring.retiringKids();
    const previous = old.length ? old : [ring.activeKid()!];
    if (!old.length) {
      ring.addActiveKey(o.now ?? new Date());
      c.reload();
    }
    const active = ring.activeKid()!;
    // Writers in other processes read this inside their write transaction and reload the ring.
    store.prepare(
      "INSERT INTO meta(key, value) VALUES ('enc_active_kid', ?) " +
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(active);
    return { resumed: old.length > 0, previous, active };
  });
  const rewrapped = await pass(store, "rotate", o);
  const retired: string[] = [];
  const kept: { kid: string; rows: number }[] = [];
  store.transaction(() => {
    c.reload();
    for (const kid of ring.retiringKids()) {
      const n = rowsWithKid(store, kid);
      if (n === 0) {
        ring.retire(kid);
        retired.push(kid);
      } else kept.push({ kid, rows: n });
    }
  });
  c.reload();
  return {
    dry_run: false,
    resumed: start.resumed,
    active_kid: start.active,
    previous_kids: start.previous,
    rewrapped,
    retired,
    kept,
  };
}

/** Seal every plain row with the active key; returns rows changed. */
export function encryptExisting(store: Store, o: PassOptions = {}): Promise<number> {
  return pass(store, "encrypt", o);
}

/** Open every sealed row back to plaintext; returns rows changed. */
export function decryptAll(store: Store, o: PassOptions = {}): Promise<number> {
  return pass(store, "decrypt", o);
}
