/**
 * The one place rows are sealed and opened: `content` and `metadata` of a row are encrypted
 * together (a row is either sealed or plain), everything else stays plaintext because SQL
 * filters and indexes read it (namespace, tags, agent, session, status, dates, counters).
 */
import type { StatementSync } from "node:sqlite";
import { ENVELOPE_PREFIX, FieldCipher, isSealed, Keyring, sealedKid } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { sealedKidInFile } from "./dbfile_sql.ts";
import type { MemoryRecord } from "./record.ts";
import { type ColumnValue, lazyRowToRecord, type MemoryRow, rowToRecord } from "./rows.ts";
import { readMetadata } from "./safe_metadata.ts";

/** How a store treats encryption. Without it, sealed rows cannot be read. */
export interface StoreEncryption {
  /** Null when the home has no key: plain rows still work, sealed ones fail clearly. */
  cipher: FieldCipher | null;
  /** Seal new and rewritten rows. */
  enabled: boolean;
  /** "on": the FTS index holds plaintext tokens of sealed rows too; "off": it skips them. */
  index: "on" | "off";
  /**
   * Records read may be opened ahead through WebCrypto ({@link openSealedAsync}): a one-shot
   * process that never loads Node's crypto (recall). Elsewhere the synchronous open (cached)
   * is cheaper, and records carry no opener.
   */
  openAhead?: boolean;
}

function need(enc: StoreEncryption | undefined, id: string): FieldCipher {
  if (enc?.cipher) return enc.cipher;
  throw new MemoryossError(
    "INVALID_CONFIG",
    `memory ${id} is encrypted, but no key is loaded (memoryoss.key missing?)`,
  );
}

/**
 * Seal `content` and `metadata` of the write parameters in place when encryption is on (or
 * when the plaintext itself looks like a sealed value, so it can never be misread as one).
 * Returns true when the row is sealed.
 */
export function sealParams(
  enc: StoreEncryption | undefined,
  r: MemoryRecord,
  p: Record<string, ColumnValue>,
  kid?: string,
): boolean {
  if (!enc?.enabled && !isSealed(r.content)) return false;
  const c = need(enc, r.id);
  p.content = c.seal({ namespace: r.namespace, id: r.id, field: "content" }, r.content, kid);
  p.metadata = c.seal(
    { namespace: r.namespace, id: r.id, field: "metadata" },
    String(p.metadata),
    kid,
  );
  return true;
}

/** True when a stored value is sealed (prefix test first, the full shape only then). */
export function looksSealed(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX) && isSealed(value);
}

/** A row with `content` and `metadata` opened (the row itself is not changed). */
export function openRow(enc: StoreEncryption | undefined, row: MemoryRow): MemoryRow {
  const sc = looksSealed(row.content);
  const sm = looksSealed(row.metadata);
  if (!sc && !sm) return row;
  const c = need(enc, row.id);
  const ref = { namespace: row.namespace, id: row.id };
  return {
    ...row,
    content: sc ? c.open({ ...ref, field: "content" }, row.content) : row.content,
    metadata: sm ? c.open({ ...ref, field: "metadata" }, row.metadata) : row.metadata,
  };
}

/**
 * A record from a row. Sealed fields are opened lazily, on first access, so recall pays for
 * decryption only for the memories it returns (candidates are ranked without their text).
 * A missing key still fails here, at once; a wrong key or a tampered value fails on access.
 */
export function recordFromRow(enc: StoreEncryption | undefined, row: MemoryRow): MemoryRecord {
  // Prefix tests only: the full shape is checked when a value is opened (the hot path reads
  // ~150 candidate rows per recall).
  const content = row.content;
  const metadata = row.metadata;
  const sc = content.startsWith(ENVELOPE_PREFIX);
  const sm = metadata.startsWith(ENVELOPE_PREFIX);
  if (!sc && !sm) return rowToRecord(row);
  if (!enc?.cipher && !isSealed(content) && !isSealed(metadata)) return rowToRecord(row);
  const c = need(enc, row.id);
  const cRef = { namespace: row.namespace, id: row.id, field: "content" };
  const mRef = { ...cRef, field: "metadata" };
  // Filled by openSealedAsync (WebCrypto) when it runs before the first access.
  const ahead: { content?: string; metadata?: string } = {};
  const r = lazyRowToRecord(
    row,
    sc ? () => ahead.content ?? c.open(cRef, content) : () => content,
    () => readMetadata(row.id, sm ? ahead.metadata ?? c.open(mRef, metadata) : metadata),
  );
  if (enc?.openAhead) {
    openers.set(r, {
      content: sc ? async () => void (ahead.content = await c.openAsync(cRef, content)) : null,
      metadata: sm ? async () => void (ahead.metadata = await c.openAsync(mRef, metadata)) : null,
    });
  }
  return r;
}

/** A sealed field's name. */
type SealedField = "content" | "metadata";

/** The WebCrypto openers of sealed records from {@link recordFromRow}, per field not yet run. */
const openers = new WeakMap<MemoryRecord, Record<SealedField, (() => Promise<void>) | null>>();

/**
 * Open the sealed `content` and `metadata` of these records through WebCrypto, in one batch,
 * before they are read: reading them then loads no Node crypto (recall: its candidates before
 * ranking reads them, and its results). Only records read under `openAhead`
 * ({@link StoreEncryption}) are opened; plain ones, and those of a process that opens
 * synchronously, are left as they are. A field read before this was opened on access; a field
 * opened once is not opened again. `fields`: which of the two (default both).
 * Fails as reading would (INTEGRITY for a tampered value, INVALID_CONFIG for a missing key).
 */
export async function openSealedAsync(
  records: readonly MemoryRecord[],
  fields: readonly SealedField[] = ["content", "metadata"],
): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const r of records) {
    const o = openers.get(r);
    if (!o) continue;
    for (const f of fields) {
      const open = o[f];
      o[f] = null;
      if (open) pending.push(open());
    }
  }
  await Promise.all(pending);
}

/** Whether a row's tokens belong in the FTS index under this setting. */
export function ftsIndexed(enc: StoreEncryption | undefined, sealed: boolean): boolean {
  return !sealed || (enc?.index ?? "on") === "on";
}

/**
 * The store's encryption from the `[encryption]` config and the home's key file. With
 * encryption on and no key yet, a writable store creates the key (as the first run does).
 */
export function encryptionFromConfig(
  keyPath: string,
  cfg: { enabled: boolean; index: "on" | "off" },
  opts: { readOnly?: boolean; webCrypto?: boolean } = {},
): StoreEncryption {
  if (cfg.enabled && !opts.readOnly) Keyring.ensureKeyFile(keyPath, sealedKidInFile);
  let cipher: FieldCipher | null = null;
  try {
    cipher = new FieldCipher(Keyring.load(keyPath));
  } catch (e) {
    // With encryption off a damaged key file only matters for sealed rows (which then fail).
    if (cfg.enabled) throw e;
  }
  return { cipher, enabled: cfg.enabled, index: cfg.index, openAhead: opts.webCrypto === true };
}

/**
 * {@link encryptionFromConfig} with the key ids computed through WebCrypto (no Node crypto
 * loaded): for start-up paths that seal with {@link sealFieldAsync} (`remember`).
 */
export async function encryptionFromConfigAsync(
  keyPath: string,
  cfg: { enabled: boolean; index: "on" | "off" },
): Promise<StoreEncryption> {
  if (cfg.enabled) Keyring.ensureKeyFile(keyPath, sealedKidInFile);
  let cipher: FieldCipher | null = null;
  try {
    cipher = new FieldCipher(await Keyring.loadAsync(keyPath));
  } catch (e) {
    if (cfg.enabled) throw e; // as in encryptionFromConfig
  }
  return { cipher, enabled: cfg.enabled, index: cfg.index };
}

/**
 * Before sealing, inside the write transaction: follow a rotation done by another process
 * (it records the new active kid in `meta` after writing the keyring), and refuse to seal with
 * a key that is not the home's when rows still use the home's key (a fresh key file beside a
 * restored database would otherwise mix keys). The first sealing write records its kid.
 */
export function followActiveKey(prepare: (sql: string) => StatementSync, c: FieldCipher): void {
  const row = prepare("SELECT value FROM meta WHERE key = 'enc_active_kid'").get() as
    | { value: string }
    | undefined;
  const record = (kid: string) =>
    prepare(
      "INSERT INTO meta(key, value) VALUES ('enc_active_kid', ?) " +
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(kid);
  const mine = c.activeKid();
  if (!mine || row?.value === mine) return;
  if (!row) return void record(mine);
  c.reload();
  const now = c.activeKid()!;
  if (row.value === now || c.keyring.keyFor(row.value)) return;
  const used = prepare("SELECT 1 AS x FROM memories WHERE content LIKE ? LIMIT 1")
    .get(`enc1:${row.value}:%`) !== undefined;
  if (!used) return void record(now);
  throw new MemoryossError(
    "INVALID_CONFIG",
    `this home's memories are encrypted with key ${row.value}, which ${c.keyring.keyPath} ` +
      "does not hold: restore the original key file (and memoryoss.keyring) before writing",
  );
}

/**
 * Seal an auxiliary text that belongs to a memory (e.g. a graph edge's detail) under the same
 * rules as its row: sealed when encryption is on, plain otherwise. `field` names the column.
 *
 * @example
 * ```ts
 * const v = sealField(store.encryption, { namespace: "demo", id: "m1", field: "edge" }, "{}");
 * openField(store.encryption, { namespace: "demo", id: "m1", field: "edge" }, v); // "{}"
 * ```
 */
export function sealField(
  enc: StoreEncryption | undefined,
  ref: { namespace: string; id: string; field: string },
  text: string,
  early?: string,
): string {
  if (!enc?.enabled && !isSealed(text)) return text;
  const c = need(enc, ref.id);
  // Sealed before the transaction (sealFieldAsync): kept while its key is still the active one.
  if (early !== undefined && early !== text && sealedKid(early) === c.activeKid()) return early;
  return c.seal(ref, text);
}

/**
 * {@link sealField} through WebCrypto, before a write transaction (no Node crypto loaded):
 * pass the result as `early` to the store's `sealValue`, which keeps it when the key did not
 * change in between and seals again otherwise.
 */
export async function sealFieldAsync(
  enc: StoreEncryption | undefined,
  ref: { namespace: string; id: string; field: string },
  text: string,
): Promise<string> {
  if (!enc?.enabled && !isSealed(text)) return text;
  return await need(enc, ref.id).sealAsync(ref, text);
}

/** Open a value written by {@link sealField} (plain values pass through). */
export function openField(
  enc: StoreEncryption | undefined,
  ref: { namespace: string; id: string; field: string },
  value: string,
): string {
  return looksSealed(value) ? need(enc, ref.id).open(ref, value) : value;
}

/**
 * The sealing reference of a graph edge's detail (it quotes memory text: entity names, causal
 * clauses), bound to the edge so it cannot be moved to another one.
 */
export function edgeDetailRef(e: { namespace: string; src: string; dst: string; kind: string }) {
  return { namespace: e.namespace, id: `${e.src}>${e.dst}`, field: `edge:${e.kind}` };
}

/** The sealing reference of a queued `remember` fact (bound to its namespace). */
export function rememberPayloadRef(namespace: string) {
  return { namespace, id: "remember_queue", field: "payload" };
}
