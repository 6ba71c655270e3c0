/**
 * Issue 21, the footprint (schema v7): a content hash is stored as its 32 bytes. A home written
 * in the v6 layout by hand (hex hashes, float32 blobs, a stale vector snapshot file) is migrated
 * by `memoryoss migrate` (to v7, then v8: vectors into pages), then reads, deduplicates and
 * recalls as before with every vector bit for bit; the stale snapshot is ignored and removed.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { createEmbedder } from "../../lib/embed/mod.ts";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, recall, type Runtime, storeMemories } from "../../lib/memory/mod.ts";
import { MIGRATIONS } from "../../lib/store/mod.ts";
import { cli, okJson, withHome } from "../cli/_helpers.ts";

const FACTS = [
  "The billing export job runs nightly on the reporting replica",
  "Staging certificates are renewed by the cert-bot every sixty days",
  "Kafka consumer lag alerts page the platform on-call after ten minutes",
  "The CDN purge needs a ticket in the change calendar first",
  "Postgres vacuum settings were tuned for the events table in March",
  "Feature flags for the checkout flow live in the flags service",
  "The gateway rate limit is 600 requests per minute per key",
];

/** Schema v6 exactly as released (MIGRATIONS 1–6), rows written with SQL. */
function v6Database(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  for (const m of MIGRATIONS.filter((m) => m.version <= 6)) db.exec(m.sql);
  db.exec("PRAGMA user_version = 6");
  return db;
}

/** Memories as a v6 build wrote them: float32 vector blobs, FTS rows, revisions 1..n. */
async function writeOldRows(db: DatabaseSync, facts: string[]) {
  const embedder = await createEmbedder({ provider: "builtin" });
  const vectors = await embedder.embed(facts);
  const put = db.prepare(
    `INSERT INTO memories (pk, id, namespace, content, tags, tags_text, memory_type, status,
       archived, version, created_at, updated_at, content_hash, evidence_count, metadata, extra,
       embedding, embedder_id, dim, rev)
     VALUES (?, ?, 'default', ?, '[]', '', 'semantic', 'active', 0, 1, ?, ?, ?, 1, '{}', '{}',
       ?, ?, ?, ?)`,
  );
  const fts = db.prepare("INSERT INTO memories_fts(rowid, content, tags_text) VALUES (?, ?, '')");
  const hashes = await Promise.all(facts.map(sha256Hex));
  facts.forEach((text, i) => {
    const pk = i + 1;
    const at = `2026-11-0${1 + (i % 9)}T10:00:00.000Z`;
    const id = `0190a000-0000-7000-8000-00000000000${pk}`;
    const v = vectors[i];
    const blob = new Uint8Array(v.buffer.slice(0));
    put.run(pk, id, text, at, at, hashes[i], blob, embedder.id, v.length, pk);
    fts.run(pk, text);
  });
  db.prepare("UPDATE meta SET value = ? WHERE key = 'rev'").run(String(facts.length));
  return { embedder, vectors, hashes };
}

/** SHA-256 of the text, lowercase hex (the hash v6 stored as 64 characters). */
async function sha256Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function open(home: string): Promise<Runtime> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  return await openRuntime(loaded);
}

/**
 * Each row's vector bytes, pk → bytes: the `embedding` column, or (schema v8, when it holds
 * the empty mark) slot pk % 64 of page floor(pk / 64) of `vector_pages` for its dim.
 */
function blobs(path: string): Map<number, Uint8Array> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare("SELECT pk, embedding, dim FROM memories ORDER BY pk").all() as {
      pk: number;
      embedding: Uint8Array;
      dim: number;
    }[];
    const page = () => db.prepare("SELECT vecs FROM vector_pages WHERE dim = ? AND page = ?");
    return new Map(rows.map((r) => {
      if (r.embedding.length > 0) return [r.pk, r.embedding];
      const { vecs } = page().get(r.dim, Math.floor(r.pk / 64)) as { vecs: Uint8Array };
      const at = (r.pk % 64) * r.dim * 4;
      return [r.pk, vecs.slice(at, at + r.dim * 4)];
    }));
  } finally {
    db.close();
  }
}

Deno.test("a v6 home (hex hashes, float32 vectors, stale snapshot) migrates and reads as before", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), "[encryption]\nenabled = false\n");
    const dbPath = join(home, "memoryoss.db");
    const db = v6Database(dbPath);
    const { vectors, hashes } = await writeOldRows(db, FACTS);
    db.close();
    const before = blobs(dbPath);
    const stale = new TextEncoder().encode("MOSSVS02 stale copy");
    await Deno.writeFile(`${dbPath}-vectors`, stale);

    const report = okJson(await cli(home, "migrate", "--json"));
    assert.deepEqual([report.current_version, report.applied], [6, [7, 8]]);
    assert.deepEqual(blobs(dbPath), before, "vectors untouched, bit for bit");

    const rt = await open(home);
    try {
      rt.syncIndex();
      FACTS.forEach((_, i) => assert.deepEqual([...rt.index.get(i + 1)!], [...vectors[i]]));
      // Not read (the vectors above are the database's), and removed: since v8 no file.
      await assert.rejects(Deno.stat(`${dbPath}-vectors`), Deno.errors.NotFound);
      const res = await recall(rt, { query: "when is the cdn purge allowed", limit: 3 });
      assert.equal(res.memories[0].content, FACTS[3]);
      const listed = rt.store.list({ namespace: "default" }, { limit: 20, order: "oldest" });
      assert.deepEqual(listed.map((m) => m.record.content), FACTS);
      // Content hashes: 32 bytes in the column since v7, the same hex in every record.
      assert.deepEqual(listed.map((m) => m.record.content_hash), hashes);
      const raw = rt.store.db.prepare("SELECT content_hash FROM memories WHERE pk = 1").get() as {
        content_hash: Uint8Array;
      };
      assert.ok(raw.content_hash instanceof Uint8Array && raw.content_hash.length === 32);
      // The same words again find the old row by its hash: no second memory.
      await storeMemories(rt, [{ content: FACTS[2] }]);
      assert.equal(rt.store.count({ namespace: "default" }), FACTS.length);
      assert.equal(rt.store.getById(listed[2].record.id)!.record.evidence_count, 2);
      // A row some older tool wrote with the hex text after v7 is found by its hash too.
      rt.store.db.prepare("UPDATE memories SET content_hash = ? WHERE pk = 5").run(hashes[4]);
      await storeMemories(rt, [{ content: FACTS[4] }]);
      assert.equal(rt.store.count({ namespace: "default" }), FACTS.length);
      assert.equal(rt.store.getById(listed[4].record.id)!.record.content_hash, hashes[4]);
    } finally {
      rt.close();
    }
  });
});
