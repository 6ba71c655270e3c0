/**
 * pgvector on a real Postgres compiled to WASM (PGlite with its `vector` extension), one
 * instance for both steps:
 * 1. the schema step memoryoss applies, the per-dimension HNSW index and a nearest-neighbour
 *    query whose answer is computed by hand (in schema "hand");
 * 2. `migrate --to` end to end: PGlite served over the Postgres wire protocol by pglite-socket,
 *    so the real CLI connects as to any server; the copy picks the `vector` column, builds the
 *    HNSW index for the stored dimension, re-runs to 0 new rows, answers a nearest-neighbour
 *    query through that index, and comes back into a new SQLite home with every table identical.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
// Test-only packages (full npm: specifiers). PGlite 0.4.6 is the last release that ships its
// pgvector build (`/vector`); pglite-socket 0.1.6 is the server release made for it.
// deno-lint-ignore no-import-prefix
import { PGlite } from "npm:@electric-sql/pglite@0.4.6";
// deno-lint-ignore no-import-prefix
import { vector } from "npm:@electric-sql/pglite@0.4.6/vector";
// deno-lint-ignore no-import-prefix
import { PGLiteSocketServer } from "npm:@electric-sql/pglite-socket@0.1.6";
import { cli, type CliResult, okJson, show, withHome } from "../cli/_helpers.ts";
import {
  ensureVectorIndexes,
  PG_MIGRATIONS,
  pgNearest,
  pgSearchText,
  type Queryable,
  type VectorSupport,
} from "../../lib/store/postgres/mod.ts";
import { decodeVector } from "../../lib/store/rows.ts";

const VECTORS: VectorSupport = { column: "vector", pgvector: "pglite", available: true };

/** PGlite behind the one call the read paths use. */
function queryable(db: PGlite): Queryable {
  return {
    unsafe: async (q, params) => (await db.query<Record<string, unknown>>(q, params ?? [])).rows,
  };
}

function memoryRow(pk: number, ns: string, content: string, v: number[]): string {
  const lit = `'[${v.join(",")}]'`;
  return `INSERT INTO memories (pk, id, namespace, content, tags, tags_text, memory_type, status,
    archived, version, created_at, updated_at, evidence_count, metadata, extra, embedder_id, dim,
    rev, embedding, fts) VALUES (${pk}, 'm${pk}', '${ns}', '${content}', '[]', '', 'semantic',
    'active', 0, 1, '2026-01-0${pk}T00:00:00Z', '2026-01-0${pk}T00:00:00Z', 1, '{}', '{}', 't',
    ${v.length}, ${pk}, ${lit}, to_tsvector('english', '${content}'));`;
}

const FACTS = [
  "The deploy policy requires two approvals before production",
  "Staging deploys run every night at 02:00 UTC",
  "Alice prefers tabs over spaces in Go code",
].map((content) => JSON.stringify({ content, session: "s1" })).join("\n") + "\n";

async function ok(r: Promise<CliResult>): Promise<CliResult> {
  const res = await r;
  assert.equal(res.code, 0, show(res));
  return res;
}

function rows(dbPath: string, sql: string): unknown[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

/** Every memory as SQLite literals (the vector blob included), and the other copied tables. */
function snapshot(dbPath: string): unknown[] {
  return ["memories", "meta", "memory_context", "memory_edges", "activity", "tombstones"].map(
    (t) => {
      const cols = (rows(dbPath, `PRAGMA table_info(${t})`) as { name: string }[])
        .map((c) => `quote(${c.name})`).join(" || '|' || ");
      return rows(dbPath, `SELECT ${cols} AS r FROM ${t} ORDER BY 1`);
    },
  );
}

Deno.test("pgvector (PGlite): schema, HNSW, nearest by hand; migrate --to and back", async (t) => {
  const db = await PGlite.create({ extensions: { vector } });
  try {
    await t.step("schema v1, HNSW per dim, nearest and text search by hand", async () => {
      await db.exec("CREATE SCHEMA hand; SET search_path TO hand, public");
      // In schema "hand": step 2 then also covers pgvector living outside the copy's schema.
      await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
      for (const m of PG_MIGRATIONS) await db.exec(m.sql({ vectors: VECTORS }));
      const col = await db.query<{ t: string }>(
        "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute " +
          "WHERE attrelid = 'memories'::regclass AND attname = 'embedding'",
      );
      assert.equal(col.rows[0].t, "vector");
      // Three memories in "team", one closer one in "other" (must never be returned for team).
      await db.exec(memoryRow(1, "team", "deploy policy needs two approvals", [1, 0, 0]));
      await db.exec(memoryRow(2, "team", "nightly staging deploys", [0.6, 0.8, 0]));
      await db.exec(memoryRow(3, "team", "tabs over spaces", [0, 0, 1]));
      await db.exec(memoryRow(4, "other", "exactly the query", [0.2, 0.9, 0.1]));
      const q = queryable(db);
      assert.deepEqual(await ensureVectorIndexes(q, VECTORS), [3]);
      const idx = await db.query<{ def: string }>(
        "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'memories_hnsw_3'",
      );
      assert.match(idx.rows[0].def, /USING hnsw .*vector_cosine_ops.*WHERE \(dim = 3\)/);

      // Query (0.2, 0.9, 0.1), |q| = sqrt(0.86) = 0.92736. Cosine by hand:
      //   m1 (1,0,0):     0.2 / 0.92736            = 0.21567
      //   m2 (0.6,0.8,0): (0.12 + 0.72) / 0.92736  = 0.90580
      //   m3 (0,0,1):     0.1 / 0.92736            = 0.10783
      const hits = await pgNearest(q, VECTORS, "team", [0.2, 0.9, 0.1], 2);
      assert.deepEqual(hits.map((h) => h.id), ["m2", "m1"]);
      assert.ok(Math.abs(hits[0].score - 0.90580) < 1e-4, String(hits[0].score));
      assert.ok(Math.abs(hits[1].score - 0.21567) < 1e-4, String(hits[1].score));
      const other = await pgNearest(q, VECTORS, "other", [0.2, 0.9, 0.1], 5);
      assert.deepEqual(other.map((h) => h.id), ["m4"]);

      const text = await pgSearchText(q, "team", "deploys", 5);
      assert.deepEqual(text.map((h) => h.id).sort(), ["m1", "m2"]); // stemmed: deploy ~ deploys
      assert.deepEqual(await pgSearchText(q, "team", "query", 5), []); // m4 is in "other"
      await db.exec("RESET search_path");
    });
    await t.step(
      "migrate --to on pgvector: vector column, HNSW, nearest, lossless back",
      async () => {
        const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (l.addr as Deno.NetAddr).port;
        l.close();
        const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1" });
        await server.start();
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        try {
          await withHome(async (src) => {
            await Deno.writeTextFile(join(src, "facts.jsonl"), FACTS);
            await ok(cli(src, "import", "-n", "team", "-f", join(src, "facts.jsonl")));
            const srcDb = join(src, "memoryoss.db");
            const dims = (rows(srcDb, "SELECT DISTINCT dim FROM memories") as { dim: number }[])
              .map((r) => r.dim);
            assert.equal(dims.length, 1);
            const r1 = okJson(await cli(src, "migrate", "--to", url, "--json"));
            assert.equal(r1.vectors.column, "vector");
            assert.ok(r1.vectors.pgvector, JSON.stringify(r1.vectors));
            assert.deepEqual(r1.vector_indexes, dims);
            const r2 = okJson(await cli(src, "migrate", "--to", url, "--json"));
            assert.equal(r2.new_rows, 0);
            assert.equal(r2.changed_rows, 0);

            // A memory's own vector is its nearest neighbour, through the HNSW index's expression.
            const mine = rows(
              srcDb,
              // The vector in its page (schema v8: slot pk % 64 of page pk / 64).
              "SELECT m.id, CASE WHEN length(m.embedding) > 0 THEN m.embedding ELSE " +
                "substr(p.vecs, (m.pk % 64) * m.dim * 4 + 1, m.dim * 4) END AS embedding " +
                "FROM memories m LEFT JOIN vector_pages p ON p.dim = m.dim AND " +
                "p.page = m.pk / 64 ORDER BY m.pk LIMIT 1",
            )[0] as {
              id: string;
              embedding: Uint8Array;
            };
            // Read in-process (the socket serves the CLI; PGlite runs one session at a time).
            await db.exec("SET search_path = memoryoss, hand, public");
            const q: Queryable = {
              unsafe: async (text, params) =>
                (await db.query<Record<string, unknown>>(text, params ?? [])).rows,
            };
            const support = {
              column: "vector",
              pgvector: r1.vectors.pgvector,
              available: true,
            } as const;
            // As the store reads its blob (float32, from its page since schema v8).
            const vec = decodeVector(new Uint8Array(mine.embedding))!;
            const near = await pgNearest(q, support, "team", vec, 2);
            assert.equal(near[0].id, mine.id);
            assert.ok(Math.abs(near[0].score - 1) < 1e-5, String(near[0].score));
            assert.deepEqual(await pgNearest(q, support, "elsewhere", vec, 2), []);
            // Three rows make a scan cheaper; forbid it to see the index matches the query's expression.
            await db.exec("SET enable_seqscan = off");
            const plan = await db.query<{ "QUERY PLAN": string }>(
              `EXPLAIN SELECT pk FROM memories WHERE dim = ${dims[0]} ORDER BY ` +
                `embedding::vector(${dims[0]}) <=> '[${Array.from(vec).join(",")}]'::vector(${
                  dims[0]
                }) LIMIT 2`,
            );
            assert.match(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"), /memories_hnsw_/);
            await db.exec("RESET enable_seqscan; RESET search_path"); // the CLI's session is this one

            await withHome(async (dst) => {
              await Deno.copyFile(join(src, "memoryoss.key"), join(dst, "memoryoss.key"));
              await Deno.chmod(join(dst, "memoryoss.key"), 0o600);
              const to = `sqlite:${join(dst, "memoryoss.db")}`;
              const back = okJson(await cli(dst, "migrate", "--from", url, "--to", to, "--json"));
              assert.equal(back.tables[0].inserted, 3);
              assert.deepEqual(snapshot(join(dst, "memoryoss.db")), snapshot(srcDb));
            });
          });
        } finally {
          await server.stop();
        }
      },
    );
  } finally {
    await db.close();
  }
});
