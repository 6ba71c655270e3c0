/**
 * Issue 21, the footprint (schema v8): vectors move from one blob per row into pages of 64
 * rows. A home written in the v7 layout by hand (float32 blobs in `memories.embedding`, a
 * damaged blob, a row without a vector, a vector of another dimension, pks across three pages)
 * is migrated by `memoryoss migrate`; every vector is then in its page bit for bit (slot
 * pk % 64 of page floor(pk / 64), read here with plain SQL), what is not a whole vector stays in
 * its row, revisions are unchanged, and the home recalls as before.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { createEmbedder } from "../../lib/embed/mod.ts";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, recall } from "../../lib/memory/mod.ts";
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
/** Rows' keys: pages 0, 1 and 3 (slots 1, 2, 63 | 0, 1 | 2, 8). */
const PKS = [1, 2, 63, 64, 65, 194, 200];

/** Schema v7 exactly as released (MIGRATIONS 1–7). */
function v7Database(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  for (const m of MIGRATIONS.filter((m) => m.version <= 7)) db.exec(m.sql);
  db.exec("PRAGMA user_version = 7");
  return db;
}

/** Memories as a v7 build wrote them: float32 blobs in the row, revisions 10, 20, … */
async function writeOldRows(db: DatabaseSync) {
  const embedder = await createEmbedder({ provider: "builtin" });
  const vectors = await embedder.embed(FACTS);
  const put = db.prepare(
    `INSERT INTO memories (pk, id, namespace, content, tags, tags_text, memory_type, status,
       archived, version, created_at, updated_at, evidence_count, metadata, extra,
       embedding, embedder_id, dim, rev)
     VALUES (?, ?, 'default', ?, '[]', '', 'semantic', 'active', 0, 1, ?, ?, 1, '{}', '{}',
       ?, ?, ?, ?)`,
  );
  const fts = db.prepare("INSERT INTO memories_fts(rowid, content, tags_text) VALUES (?, ?, '')");
  FACTS.forEach((text, i) => {
    const pk = PKS[i];
    const at = `2026-11-0${1 + i}T10:00:00.000Z`;
    const v = vectors[i];
    put.run(
      pk,
      `id-${pk}`,
      text,
      at,
      at,
      new Uint8Array(v.buffer.slice(0)),
      embedder.id,
      v.length,
      10 * (i + 1),
    );
    fts.run(pk, text);
  });
  db.prepare("UPDATE meta SET value = '70' WHERE key = 'rev'").run();
  // pk 63: damaged (5 bytes); pk 65: none; pk 200: a 3-dimension vector of another embedder.
  db.exec("UPDATE memories SET embedding = X'0102030405' WHERE pk = 63");
  db.exec("UPDATE memories SET embedding = NULL, embedder_id = NULL, dim = NULL WHERE pk = 65");
  const small = new Float32Array([0.25, -1.5, 3]);
  db.prepare("UPDATE memories SET embedding = ?, embedder_id = 'other', dim = 3 WHERE pk = 200")
    .run(new Uint8Array(small.buffer));
  return { vectors, small };
}

interface Row {
  pk: number;
  embedding: Uint8Array | null;
  dim: number | null;
  rev: number;
}

function rows(path: string): { rows: Row[]; pages: Map<string, Uint8Array> } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare("SELECT pk, embedding, dim, rev FROM memories ORDER BY pk")
      .all() as unknown as Row[];
    const hasPages = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'vector_pages'").get();
    const pages = new Map<string, Uint8Array>();
    if (hasPages) {
      for (const p of db.prepare("SELECT dim, page, vecs FROM vector_pages").all()) {
        const { dim, page, vecs } = p as { dim: number; page: number; vecs: Uint8Array };
        pages.set(`${dim}:${page}`, vecs);
      }
    }
    return { rows, pages };
  } finally {
    db.close();
  }
}

Deno.test("a v7 home (one vector blob per row) migrates to pages, bit for bit", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), "[encryption]\nenabled = false\n");
    const dbPath = join(home, "memoryoss.db");
    const db = v7Database(dbPath);
    const { vectors, small } = await writeOldRows(db);
    db.close();
    const before = rows(dbPath).rows;

    const report = okJson(await cli(home, "migrate", "--json"));
    assert.deepEqual([report.current_version, report.applied], [7, [8]]);

    const after = rows(dbPath);
    const dim = vectors[0].length;
    // Pages of the builtin's dimension: 0, 1 and 3 (page 2 has no row); one of dim 3, page 3.
    assert.deepEqual([...after.pages.keys()].sort(), [`${dim}:0`, `${dim}:1`, `${dim}:3`, "3:3"]);
    for (const [key, vecs] of after.pages) {
      assert.equal(vecs.length, 64 * Number(key.split(":")[0]) * 4, key);
    }
    const fromPage = (pk: number, d: number) => {
      const at = (pk % 64) * d * 4;
      return after.pages.get(`${d}:${Math.floor(pk / 64)}`)!.slice(at, at + d * 4);
    };
    for (const i of [0, 1, 3, 5]) {
      const pk = PKS[i];
      assert.deepEqual(fromPage(pk, dim), new Uint8Array(vectors[i].buffer), `pk ${pk}`);
    }
    assert.deepEqual(fromPage(200, 3), new Uint8Array(small.buffer));
    // Slots of rows without a page vector are zero.
    assert.ok(fromPage(63, dim).every((b) => b === 0) && fromPage(65, dim).every((b) => b === 0));
    // The rows: the empty mark where the vector moved, the rest untouched; revisions the same.
    const byPk = new Map(after.rows.map((r) => [r.pk, r]));
    for (const b of before) {
      const a = byPk.get(b.pk)!;
      assert.equal(a.rev, b.rev);
      const moved = b.embedding !== null && b.dim !== null && b.embedding.length === b.dim * 4;
      assert.deepEqual(a.embedding, moved ? new Uint8Array(0) : b.embedding, `pk ${b.pk}`);
    }

    // The home reads as before: the index holds the vectors, recall finds by meaning.
    const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
    const rt = await openRuntime(loaded);
    try {
      rt.syncIndex();
      for (const i of [0, 1, 3, 5]) assert.deepEqual([...rt.index.get(PKS[i])!], [...vectors[i]]);
      assert.equal(rt.index.get(63), null, "damaged: not indexed");
      assert.equal(rt.index.size(), 4);
      const res = await recall(rt, { query: "when is the cdn purge allowed", limit: 3 });
      assert.equal(res.memories[0].content, FACTS[3]);
    } finally {
      rt.close();
    }
    const again = okJson(await cli(home, "migrate", "--json"));
    assert.deepEqual(again.applied, []);
  });
});
