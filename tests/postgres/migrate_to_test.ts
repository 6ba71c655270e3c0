/**
 * `memoryoss migrate --to` against a real PostgreSQL server (tests/_support/postgres.ts): a
 * SQLite home with sealed memories, vectors, graph edges, keys, queue, decisions, tombstones and
 * trust.json goes into Postgres and back into a new home; both homes' exports and every SQLite
 * table match byte for byte, re-runs report 0 new rows, and bad targets fail clearly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import {
  assertUserError,
  cli,
  type CliResult,
  cliWith,
  okJson,
  show,
  withHome,
} from "../cli/_helpers.ts";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";
import {
  copyBetweenEngines,
  parseTarget,
  pgNearest,
  pgSearchText,
} from "../../lib/store/postgres/mod.ts";

const FACTS = [
  {
    content: "The deploy policy requires two approvals before production",
    tags: ["deploy-policy"],
    session: "s1",
  },
  { content: "Staging deploys run every night at 02:00 UTC", tags: ["deploy"], session: "s1" },
  { content: "Alice prefers tabs over spaces in Go code", category: "preference", session: "s2" },
  {
    content: "The database backup runs with pg_dump into object storage",
    tags: ["ops"],
    session: "s2",
  },
].map((f) => JSON.stringify(f)).join("\n") + "\n";

async function ok(r: Promise<CliResult>): Promise<CliResult> {
  const res = await r;
  assert.equal(res.code, 0, show(res));
  return res;
}

/** A home with every kind of row the copy carries (encryption at rest is on by default). */
async function fillHome(home: string): Promise<void> {
  const file = join(home, "facts.jsonl");
  await Deno.writeTextFile(file, FACTS);
  await ok(cli(home, "import", "-n", "team", "-f", file));
  const gone = okJson(await cli(home, "store", "--json", "-n", "other", "Bob picked Postgres"));
  await ok(cli(home, "store", "-n", "other", "Bob runs the shared store"));
  await ok(cli(home, "keys", "create", "--role", "writer", "--namespaces", "team", "--json"));
  await ok(cli(home, "remember", "-n", "team", "Carol owns the on-call rotation"));
  await ok(cli(home, "drain", "--once", "--json"));
  await ok(cli(home, "graph", "rebuild", "--json"));
  await ok(cli(home, "trust", "identity", "--json"));
  await ok(cli(home, "forget", "--ids", gone.id));
  // A damaged vector blob (not whole float32s) must come back as the same bytes too.
  const db = new DatabaseSync(join(home, "memoryoss.db"));
  db.exec("UPDATE memories SET embedding = X'0102030405' WHERE namespace = 'other'");
  db.close();
}

/** Every row of every plain table (FTS tables are indexes, rebuilt), as SQLite literals. */
function tables(dbPath: string): Record<string, string[]> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const out: Record<string, string[]> = {};
    const names = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' " +
        "AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ).all() as { name: string }[];
    for (const { name } of names) {
      const cols = (db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[])
        .map((c) => `quote(${c.name})`);
      out[name] = (db.prepare(`SELECT ${cols.join(" || '|' || ")} AS r FROM ${name} ORDER BY 1`)
        .all() as { r: string }[]).map((r) => r.r);
    }
    out.vector_pages = livePages(db);
    return out;
  } finally {
    db.close();
  }
}

/**
 * `vector_pages` (schema v8: row pk's vector in slot pk % 64 of page pk / 64 of its dim) with
 * only the slots of rows marked as held there (an empty `embedding`): a slot left behind when
 * something wrote a blob into the row itself (the damaged one above) is not a vector of any
 * row and is not carried.
 */
function livePages(db: DatabaseSync): string[] {
  const live = new Set(
    (db.prepare("SELECT pk, dim FROM memories WHERE length(embedding) = 0").all() as {
      pk: number;
      dim: number;
    }[]).map((r) => `${r.dim}:${r.pk}`),
  );
  const pages = db.prepare("SELECT dim, page, vecs FROM vector_pages ORDER BY dim, page").all() as {
    dim: number;
    page: number;
    vecs: Uint8Array;
  }[];
  return pages.map(({ dim, page, vecs }) => {
    const kept = vecs.slice();
    for (let slot = 0; slot < 64; slot++) {
      if (!live.has(`${dim}:${page * 64 + slot}`)) {
        kept.fill(0, slot * dim * 4, (slot + 1) * dim * 4);
      }
    }
    return `${dim}|${page}|${Array.from(kept, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  });
}

/** `export` of a namespace without its one line that is the time of the export itself. */
async function exported(home: string, ns: string): Promise<string> {
  const r = await ok(cli(home, "export", "-n", ns));
  return r.stdout.split("\n").filter((l) => !l.startsWith('  "exported_at":')).join("\n");
}

Deno.test({
  ...skipIf(postgresMissing(), "migrate --to postgres and back: lossless, idempotent, dry-run"),
  fn: async () => {
    const pg = await startPostgres();
    try {
      await withHome(async (src) => {
        await fillHome(src);
        const url = await pg.createDatabase();
        // Dry run: counts from the source, nothing created.
        const dry = okJson(await cli(src, "migrate", "--to", url, "--dry-run", "--json"));
        const count = (r: typeof dry, t: string) =>
          r.tables.find((x: { table: string }) => x.table === t);
        assert.equal(count(dry, "memories").source, 6); // 4 imported + 1 drained + 1 of 2 stored
        assert.equal(count(dry, "memories").inserted, 6);
        assert.equal(count(dry, "tombstones").source, 1);
        assert.equal(count(dry, "api_keys").source, 1);
        assert.equal(count(dry, "remember_queue").source, 1);
        assert.equal(count(dry, "remember_decisions").source, 1);
        assert.ok(count(dry, "memory_edges").source > 0);
        const sql = postgres(url, { onnotice: () => {} });
        try {
          const [none] = await sql`SELECT to_regclass('memoryoss.memories') IS NULL AS gone`;
          assert.equal(none.gone, true, "a dry run created tables");
          const first = await cli(src, "migrate", "--to", url, "--json");
          const r1 = okJson(first);
          assert.equal(count(r1, "memories").inserted, 6);
          assert.equal(r1.trust, "inserted");
          assert.deepEqual(r1.schema_applied, [1]);
          assert.match(first.stderr, /migrate: memories: 6 rows, 6 new/);
          const again = okJson(await cli(src, "migrate", "--to", url, "--json"));
          assert.equal(again.new_rows, 0);
          assert.equal(again.changed_rows, 0);
          assert.equal(again.trust, "unchanged");
          assert.deepEqual(again.schema_applied, []);
          // One more memory: a dry run counts it (twice: the first rolled back), a run copies it.
          await ok(cli(src, "store", "-n", "team", "Dana reviews every schema change"));
          for (let i = 0; i < 2; i++) {
            const d = okJson(await cli(src, "migrate", "--to", url, "--dry-run", "--json"));
            assert.equal(count(d, "memories").inserted, 1);
          }
          const more = okJson(await cli(src, "migrate", "--to", url, "--json"));
          assert.equal(count(more, "memories").inserted, 1);
          assert.equal(count(more, "memories").unchanged, 6);
          // Another home's memories never overwrite these: exit 4, nothing written.
          await withHome(async (other) => {
            await ok(cli(other, "store", "-n", "team", "a different home"));
            const clash = await cli(other, "migrate", "--to", url);
            assertUserError(clash, 4);
            assert.match(clash.stderr, /copy into a new schema/);
          });
          const [n] = await sql`SELECT count(*)::int AS n FROM memoryoss.memories`;
          assert.equal(n.n, 7);
          await readPathsOnServer(url, src);
          await resumes(await pg.createDatabase(), join(src, "memoryoss.db"));
        } finally {
          await sql.end();
        }
        await withHome(async (dst) => {
          // Sealed rows stay sealed: the new home needs the source's key to read them.
          await Deno.copyFile(join(src, "memoryoss.key"), join(dst, "memoryoss.key"));
          await Deno.chmod(join(dst, "memoryoss.key"), 0o600);
          const to = `sqlite:${join(dst, "memoryoss.db")}`;
          const before = okJson(
            await cli(dst, "migrate", "--from", url, "--to", to, "--dry-run", "--json"),
          );
          assert.equal(count(before, "memories").inserted, 7);
          await assert.rejects(Deno.stat(join(dst, "memoryoss.db")), Deno.errors.NotFound);
          const back = okJson(await cli(dst, "migrate", "--from", url, "--to", to, "--json"));
          assert.equal(count(back, "memories").inserted, 7);
          const twice = okJson(await cli(dst, "migrate", "--from", url, "--to", to, "--json"));
          assert.equal(twice.new_rows, 0);
          assert.equal(twice.changed_rows, 0);
          const dry = okJson(
            await cli(dst, "migrate", "--from", url, "--to", to, "--dry-run", "--json"),
          );
          assert.equal(dry.new_rows + dry.changed_rows, 0);
          assert.deepEqual(tables(join(dst, "memoryoss.db")), tables(join(src, "memoryoss.db")));
          for (const ns of ["team", "other"]) {
            assert.equal(await exported(dst, ns), await exported(src, ns), `export -n ${ns}`);
          }
          assert.equal(
            await Deno.readTextFile(join(dst, "trust.json")),
            await Deno.readTextFile(join(src, "trust.json")),
          );
          // The full-text index was rebuilt from the copied (sealed) rows.
          const hits = okJson(await cli(dst, "recall", "-n", "team", "--json", "approvals"));
          const first = (hits.memories ?? hits.results ?? hits)[0];
          assert.match(JSON.stringify(first), /two approvals/);
        });
      });
    } finally {
      await pg.stop();
    }
  },
});

/** A copy stopped after its first page continues where it stopped. */
async function resumes(url: string, dbPath: string): Promise<void> {
  const opts = { from: parseTarget(`sqlite:${dbPath}`), to: parseTarget(url), dryRun: false };
  const stop = new Error("stopped");
  await assert.rejects(
    copyBetweenEngines({
      ...opts,
      batch: 2,
      progress: (line) => {
        if (line.startsWith("memories: 2/")) throw stop;
      },
    }),
    (e) => e === stop,
  );
  const r = await copyBetweenEngines({ ...opts, batch: 2 });
  const mem = r.tables.find((t) => t.table === "memories")!;
  assert.deepEqual([mem.inserted, mem.unchanged], [mem.source - 2, 2]);
}

/** The namespace-bound read paths on the copied data (real[] vectors on Debian's server). */
async function readPathsOnServer(url: string, src: string): Promise<void> {
  const db = new DatabaseSync(join(src, "memoryoss.db"), { readOnly: true });
  // The vector in its page (schema v8: slot pk % 64 of page pk / 64) unless the row holds one.
  const row = db.prepare(
    "SELECT m.pk, m.id, CASE WHEN length(m.embedding) > 0 THEN m.embedding ELSE " +
      "substr(p.vecs, (m.pk % 64) * m.dim * 4 + 1, m.dim * 4) END AS embedding FROM memories m " +
      "LEFT JOIN vector_pages p ON p.dim = m.dim AND p.page = m.pk / 64 " +
      "WHERE m.namespace = 'team' ORDER BY m.pk LIMIT 1",
  ).get() as { pk: number; id: string; embedding: Uint8Array };
  db.close();
  const t = parseTarget(url);
  const sql = postgres(url, {
    onnotice: () => {},
    connection: { search_path: t.kind === "postgres" ? t.schema : "" },
  });
  try {
    const vec = new Float32Array(row.embedding.slice().buffer);
    const support = { column: "real[]", pgvector: null, available: false } as const;
    // A memory's own vector is its nearest neighbour (cosine 1), never one of another namespace.
    const near = await pgNearest(sql, support, "team", vec, 3);
    assert.equal(near[0].id, row.id);
    assert.ok(Math.abs(near[0].score - 1) < 1e-5, String(near[0].score));
    assert.deepEqual(await pgNearest(sql, support, "nobody", vec, 3), []);
    const text = await pgSearchText(sql, "team", "approvals", 5);
    assert.equal(text.length, 1);
    assert.deepEqual(await pgSearchText(sql, "other", "approvals", 5), []);
  } finally {
    await sql.end();
  }
}

Deno.test("migrate --to: bad targets are exit 3, an unreachable server is one line", async () => {
  await withHome(async (home) => {
    await ok(cli(home, "store", "-n", "t", "one memory"));
    assertUserError(await cli(home, "migrate", "--to", "mysql://x/y"), 3);
    assertUserError(await cli(home, "migrate", "--to", "postgres://127.0.0.1"), 3);
    assertUserError(await cli(home, "migrate", "--to", "postgres://h/db?schema=Bad-Name"), 3);
    assertUserError(await cli(home, "migrate", "--to", "sqlite:"), 3);
    // --to sqlite: copies from Postgres: without --from (or the env URL) it is a usage error.
    const noFrom = await cliWith(
      home,
      { env: { MEMORYOSS_DATABASE_URL: "" } },
      "migrate",
      "--to",
      `sqlite:${home}/x.db`,
    );
    assertUserError(noFrom, 3);
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const down = await cli(home, "migrate", "--to", `postgres://me:secret@127.0.0.1:${port}/db`);
    assert.equal(down.code, 2, show(down));
    assert.equal(down.stderr.trim().split("\n").length, 1, show(down));
    assert.match(
      down.stderr,
      /cannot reach postgres:\/\/me@127\.0\.0\.1:\d+\/db: connection refused/,
    );
    assert.doesNotMatch(down.stderr + down.stdout, /secret/);
  });
});
