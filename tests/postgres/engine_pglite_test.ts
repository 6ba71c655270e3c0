/**
 * The shared engine suite (tests/store/engine_suite.ts) on pgvector: PGlite (a real Postgres
 * compiled to WASM) with its `vector` extension, served over the wire protocol by
 * pglite-socket so the engine connects with its own client as to any server. The engine must
 * pick the `vector` column, answer nearest-neighbour queries with pgvector's cosine distance
 * and build an HNSW index per stored dimension.
 */
import assert from "node:assert/strict";
// Test-only packages (full npm: specifiers), as in pgvector_pglite_test.ts.
// deno-lint-ignore no-import-prefix
import { PGlite } from "npm:@electric-sql/pglite@0.4.6";
// deno-lint-ignore no-import-prefix
import { vector } from "npm:@electric-sql/pglite@0.4.6/vector";
// deno-lint-ignore no-import-prefix
import { PGLiteSocketServer } from "npm:@electric-sql/pglite-socket@0.1.6";
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";
import { engineSuite } from "../store/engine_suite.ts";

Deno.test("engine suite: pgvector on PGlite", async (t) => {
  const db = await PGlite.create({ extensions: { vector } });
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1" });
  await server.start();
  try {
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let n = 0;
    await engineSuite(t, async (o) => {
      const e = await PostgresEngine.open(`${url}?schema=v${n++}`, o);
      const d = e.describe();
      assert.equal(d.vectors, "vector", JSON.stringify(d));
      assert.ok(d.pgvector);
      return e;
    });
    // The vector step (3-d) and the large batch (8-d) left an HNSW index for their dimension.
    const idx = await db.query<{ s: string; n: string; def: string }>(
      "SELECT schemaname AS s, indexname AS n, indexdef AS def FROM pg_indexes " +
        "WHERE indexname LIKE 'memories_hnsw_%' ORDER BY 1, 2",
    );
    const names = idx.rows.map((r) => r.n);
    assert.ok(names.includes("memories_hnsw_3"), names.join(","));
    assert.ok(names.includes("memories_hnsw_8"), names.join(","));
    for (const r of idx.rows) {
      assert.match(r.def, /USING hnsw .*vector_cosine_ops.*WHERE \(dim = \d+\)/);
    }
  } finally {
    await server.stop();
    await db.close();
  }
});
