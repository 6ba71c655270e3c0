/**
 * The store with encryption: sealed rows on disk, transparent reads, FTS under index on/off,
 * mixed plain/sealed stores, the v5 migration of an existing (plain) database.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { FieldCipher, Keyring } from "../../lib/crypto/mod.ts";
import {
  encryptExisting,
  encryptionStatus,
  MIGRATIONS,
  newRecord,
  SCHEMA_VERSION,
  sealedKidInFile,
  Store,
  type StoreEncryption,
  uuidv7,
} from "../../lib/store/mod.ts";

const SECRET = "Quokka launch codes are kept in vault nine";

async function home(): Promise<{ dir: string; keyPath: string; db: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-encstore-" });
  const keyPath = join(dir, "memoryoss.key");
  Keyring.ensureKeyFile(keyPath, sealedKidInFile);
  return {
    dir,
    keyPath,
    db: join(dir, "m.db"),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

function enc(keyPath: string, enabled = true, index: "on" | "off" = "on"): StoreEncryption {
  return { cipher: new FieldCipher(Keyring.load(keyPath)), enabled, index };
}

function rec(content: string, namespace = "ns") {
  return newRecord({
    id: uuidv7(),
    content,
    namespace,
    created_at: new Date().toISOString(),
    tags: ["vault"],
    metadata: { source: "quokka-notes" },
  });
}

/** Every text and blob in every table (and the WAL), as one string. */
function rawDump(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    let out = "";
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) {
        for (const v of Object.values(row)) {
          out += (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)) + "\n";
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

Deno.test("store: sealed rows read back as plaintext; the raw file holds no content", async () => {
  await using h = await home();
  const s = Store.open(h.db, { encryption: enc(h.keyPath, true, "off") });
  const r = rec(SECRET);
  const pk = s.insert(r);
  assert.equal(s.getById(r.id)!.record.content, SECRET);
  assert.deepEqual(s.getById(r.id)!.record.metadata, { source: "quokka-notes" });
  assert.equal(s.getMany([pk])[0].record.content, SECRET);
  assert.equal(s.list({ namespace: "ns" })[0].record.content, SECRET);
  s.update(pk, { ...r, content: SECRET + " (updated)", version: 2 });
  assert.equal(s.getById(r.id)!.record.content, SECRET + " (updated)");
  s.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  s.close();
  const raw = rawDump(h.db) + new TextDecoder().decode(await Deno.readFile(h.db));
  for (const word of ["Quokka", "quokka", "launch", "vault nine", "nine"]) {
    assert.ok(!raw.includes(word), `plaintext '${word}' found in the database file`);
  }
  assert.match(raw, /enc1:[0-9a-f]{12}:/);
});

Deno.test("store: index on finds sealed rows by bm25; off does not, and both are consistent", async () => {
  await using h = await home();
  const on = Store.open(h.db, { encryption: enc(h.keyPath, true, "on") });
  on.insert(rec(SECRET));
  assert.equal(on.fts('"quokka"', { namespace: "ns" }, 10).length, 1);
  assert.ok(on.ftsHealth().consistent);
  on.close();
  const off = Store.open(h.db, { encryption: enc(h.keyPath, true, "off") });
  assert.equal(off.ftsHealth().consistent, false, "index=off expects no tokens of sealed rows");
  assert.equal(off.rebuildFts(), 0);
  assert.ok(off.ftsHealth().consistent);
  assert.equal(off.fts('"quokka"', { namespace: "ns" }, 10).length, 0);
  off.insert(rec("another quokka note"));
  assert.equal(off.fts('"quokka"', { namespace: "ns" }, 10).length, 0);
  // Deleting keeps the index consistent (trigger on the table).
  off.deleteByPks(off.pks({ namespace: "ns" }));
  assert.ok(off.ftsHealth().consistent);
  off.close();
});

Deno.test("store: a mixed store (plain rows from before, sealed rows after) reads both", async () => {
  await using h = await home();
  const plain = Store.open(h.db);
  const a = rec("plain memory about quokkas");
  plain.insert(a);
  plain.close();
  const s = Store.open(h.db, { encryption: enc(h.keyPath) });
  const b = rec("sealed memory about quokkas");
  s.insert(b);
  assert.deepEqual(
    s.list({ namespace: "ns" }, { limit: 10, order: "oldest" }).map((m) => m.record.content),
    [a.content, b.content],
  );
  assert.equal(s.fts('"quokkas"', { namespace: "ns" }, 10).length, 2);
  let st = encryptionStatus(s);
  assert.deepEqual([st.totals.encrypted, st.totals.plain], [1, 1]);
  assert.equal(await encryptExisting(s), 1);
  st = encryptionStatus(s);
  assert.deepEqual([st.totals.encrypted, st.totals.plain], [2, 0]);
  assert.equal(s.getById(a.id)!.record.content, a.content);
  assert.ok(s.ftsHealth().consistent);
  s.close();
  // Without a key the sealed rows fail clearly; the store itself still opens.
  const nokey = Store.open(h.db);
  assert.throws(() => nokey.getById(b.id), /is encrypted, but no key is loaded/);
  nokey.close();
});

Deno.test("store: content that looks like an envelope is sealed, never misread", async () => {
  await using h = await home();
  const s = Store.open(h.db, { encryption: enc(h.keyPath, false) });
  const fake = "enc1:0123456789ab:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
  const r = rec(fake);
  s.insert(r);
  assert.equal(s.getById(r.id)!.record.content, fake);
  s.insert(rec("ordinary plain row"));
  assert.equal(encryptionStatus(s).totals.plain, 1, "only the look-alike was sealed");
  s.close();
  // A plain store without any key reads text that merely starts like an envelope.
  const plain = Store.open(h.db);
  const odd = rec("enc1: not an envelope at all");
  plain.insert(odd);
  assert.equal(plain.getById(odd.id)!.record.content, odd.content);
  assert.ok(plain.ftsHealth().consistent);
  plain.close();
});

Deno.test("migration v5: an existing plain v4 database keeps its FTS search", async () => {
  await using h = await home();
  const db = new DatabaseSync(h.db);
  for (const m of MIGRATIONS.filter((m) => m.version < 5)) db.exec(m.sql);
  db.exec("PRAGMA user_version = 4");
  const cols = "id, namespace, content, tags, tags_text, memory_type, status, version, " +
    "created_at, updated_at, evidence_count, rev";
  db.prepare(`INSERT INTO memories (${cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`).run(
    "old-1",
    "ns",
    "legacy note about wombats",
    "[]",
    "",
    "semantic",
    "active",
    1,
    "2025-01-01T00:00:00Z",
    "2025-01-01T00:00:00Z",
    1,
    1,
  );
  db.close();
  const s = Store.open(h.db, { encryption: enc(h.keyPath) });
  assert.equal(
    (s.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    SCHEMA_VERSION,
  );
  assert.equal(s.fts('"wombats"', { namespace: "ns" }, 10).length, 1);
  assert.ok(s.ftsHealth().consistent);
  s.deleteByPks(s.pks({ namespace: "ns" }));
  assert.equal(s.fts('"wombats"', { namespace: "ns" }, 10).length, 0);
  assert.ok(s.ftsHealth().consistent);
  s.close();
});
