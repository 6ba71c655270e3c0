/** `--to`/`--from` parsing and the vector text forms, without a server. */
import assert from "node:assert/strict";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { parseTarget } from "../../lib/store/postgres/mod.ts";
import { blobToVectorText, vectorTextToBlob } from "../../lib/store/postgres/pg_side.ts";

Deno.test("parseTarget: postgres URLs, schema, sqlite paths; the password is never displayed", () => {
  const t = parseTarget("postgres://me:pw@db.local:5433/memory?schema=team&sslmode=require");
  assert.equal(t.kind, "postgres");
  assert.ok(t.kind === "postgres");
  assert.equal(t.schema, "team");
  assert.equal(t.display, "postgres://me@db.local:5433/memory?schema=team");
  assert.ok(!t.url.includes("schema="), t.url);
  assert.ok(t.url.includes("sslmode=require"), t.url);
  assert.equal((parseTarget("postgresql://h/db") as { schema: string }).schema, "memoryoss");
  assert.deepEqual(parseTarget("sqlite:/srv/h/memoryoss.db"), {
    kind: "sqlite",
    path: "/srv/h/memoryoss.db",
    display: "sqlite:/srv/h/memoryoss.db",
  });
  for (
    const bad of [
      "mysql://h/db",
      "postgres://h",
      "postgres://h/",
      "postgres://h/db?schema=A-B",
      "sqlite:",
    ]
  ) {
    assert.throws(
      () => parseTarget(bad),
      (e) => e instanceof MemoryossError && e.code === "INVALID_INPUT",
      bad,
    );
  }
});

Deno.test("vector text: float32 blobs survive both Postgres forms bit for bit", () => {
  const v = new Float32Array([0.1, -0, 1e-40, -3.4028234663852886e38, 1 / 3]);
  const blob = new Uint8Array(v.buffer);
  for (const form of ["vector", "real[]"] as const) {
    const text = blobToVectorText(blob, form)!;
    assert.equal(text[0], form === "vector" ? "[" : "{");
    assert.deepEqual(vectorTextToBlob(text), blob);
  }
  // What neither form can hold is left to embedding_raw (null here).
  assert.equal(blobToVectorText(new Uint8Array([1, 2, 3, 4, 5]), "vector"), null);
  assert.equal(blobToVectorText(new Uint8Array(new Float32Array([NaN]).buffer), "real[]"), null);
});
