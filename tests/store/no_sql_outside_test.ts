/**
 * SQL belongs in lib/store (docs/architecture.md, docs/scaling.md "The plan"): a second engine
 * can only be added behind one seam. This test reads every TypeScript file of lib/ and cli/
 * outside lib/store and fails when one that is NOT on the allow-list below holds SQL, and
 * when a file on the list holds none any more (take it off: the count only goes down).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/**
 * Files outside lib/store that still run SQL, each with why. Shrink this list; never grow it
 * (new SQL goes into a named function in lib/store, exported through lib/store/mod.ts).
 */
const ALLOWED: Record<string, string> = {};

/**
 * What counts as SQL or as reaching past the store to SQLite itself. A relief backend's
 * `prepare(stages)` (lib/relief: privileges for the stages) is not a statement.
 */
const SQL = [
  /(?<!backend)\.prepare\(/,
  /SELECT /,
  /INSERT INTO/,
  /UPDATE [a-z_]+ SET/,
  /DELETE FROM/,
  /\bPRAGMA [a-z_]+/,
  /new DatabaseSync\(/,
  /from "node:sqlite"/,
];

/** The first line of `text` that holds SQL, or null. */
function firstSqlLine(text: string): string | null {
  for (const line of text.split("\n")) {
    if (SQL.some((re) => re.test(line))) return line.trim();
  }
  return null;
}

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(new URL(dir, ROOT))) {
    const path = `${dir}${e.name}`;
    if (e.isDirectory) out.push(...await tsFiles(`${path}/`));
    else if (e.isFile && e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

async function filesWithSql(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const files = [...await tsFiles("lib/"), ...await tsFiles("cli/")];
  for (const f of files.filter((f) => !f.startsWith("lib/store/")).sort()) {
    const line = firstSqlLine(await Deno.readTextFile(new URL(f, ROOT)));
    if (line !== null) found.set(f, line);
  }
  return found;
}

Deno.test("no SQL outside lib/store except the files on the allow-list", async () => {
  const found = await filesWithSql();
  const stray = [...found].filter(([f]) => !(f in ALLOWED)).map(([f, line]) => `${f}: ${line}`);
  assert.deepEqual(
    stray,
    [],
    "SQL outside lib/store: move it into a named function in lib/store (exported through " +
      "lib/store/mod.ts) and call that",
  );
});

Deno.test("every file on the allow-list still holds SQL (the list only shrinks)", async () => {
  const found = await filesWithSql();
  const clean = Object.keys(ALLOWED).filter((f) => !found.has(f));
  assert.deepEqual(clean, [], "these files hold no SQL any more: take them off ALLOWED");
});

Deno.test("the detector sees SQL where it is, and none where there is none", () => {
  // Hand-written lines, one per pattern, as they appear in the code this test guards.
  assert.equal(firstSqlLine('store.prepare("x")'), 'store.prepare("x")');
  assert.equal(firstSqlLine("rt.store.db.prepare(sql)"), "rt.store.db.prepare(sql)");
  assert.equal(firstSqlLine("const privileges = await backend.prepare(stages);"), null);
  assert.notEqual(firstSqlLine("`SELECT id FROM memories WHERE pk = ?`"), null);
  assert.notEqual(firstSqlLine('"INSERT INTO activity (at) VALUES (?)"'), null);
  assert.notEqual(firstSqlLine('"UPDATE api_keys SET revoked_at = ?"'), null);
  assert.notEqual(firstSqlLine('"DELETE FROM memory_edges WHERE src = ?"'), null);
  assert.notEqual(firstSqlLine('db.prepare("PRAGMA integrity_check")'), null);
  assert.notEqual(firstSqlLine("const db = new DatabaseSync(path);"), null);
  assert.notEqual(firstSqlLine('import { DatabaseSync } from "node:sqlite";'), null);
  assert.equal(
    firstSqlLine('import { edgesTouching } from "../store/mod.ts";\nselect a memory'),
    null,
  );
});

Deno.test("the store itself holds the SQL that moved (graph, keys, activity, queue, recall)", async () => {
  const moved = ["graph_sql.ts", "keys_sql.ts", "activity_sql.ts", "queue_sql.ts", "meta_sql.ts"];
  for (const f of [...moved, "memory_sql.ts", "recall_sql.ts", "walk_sql.ts"]) {
    const text = await Deno.readTextFile(new URL(`lib/store/${f}`, ROOT));
    assert.notEqual(firstSqlLine(text), null, `lib/store/${f} holds no SQL`);
  }
});
