/**
 * The shared engine suite (engine_suite.ts) on SQLite: today's Store behind the async
 * MemoryEngine interface, a fresh database file per step (a second engine on the same file for
 * the queue's two claimers).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  encryptionFromConfig,
  newRecord,
  SqliteEngine,
  type StoreEncryption,
} from "../../lib/store/mod.ts";
import { engineSuite } from "./engine_suite.ts";

/** Rows of `sql` in the database at `path` (read-only). */
function rows(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

Deno.test("engine suite: sqlite", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-engine-" });
  let n = 0;
  const files: string[] = [];
  try {
    const enc: StoreEncryption = encryptionFromConfig(join(dir, "memoryoss.key"), {
      enabled: true,
      index: "on",
    });
    await engineSuite(
      t,
      (o) => {
        const path = join(dir, `e${n++}.db`);
        files.push(path);
        return Promise.resolve(SqliteEngine.open(path, { encryption: o?.encryption }));
      },
      enc,
      (e) => Promise.resolve(SqliteEngine.open(e.describe().location)),
    );
    // The sealed steps' files hold ciphertext, not the words.
    const [row] = rows(files.at(-1)!, "SELECT content FROM memories WHERE id = 's1'");
    assert.ok(String(row.content).startsWith("enc1:"), String(row.content));
    const [edge] = rows(files.at(-2)!, "SELECT detail FROM memory_edges WHERE namespace = 's'");
    assert.ok(String(edge.detail).startsWith("enc1:"), String(edge.detail));
    const [q] = rows(files.at(-2)!, "SELECT payload FROM remember_queue WHERE namespace = 's'");
    assert.ok(String(q.payload).startsWith("enc1:"), String(q.payload));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqlite engine: nearest reloads its index when the store goes back in time", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-engine-rewind-" });
  const path = join(dir, "memoryoss.db");
  const e = SqliteEngine.open(path);
  try {
    const r = (id: string) =>
      newRecord({ id, namespace: "n", content: id, created_at: "2026-01-01T00:00:00.000Z" });
    const v = (x: number[]) => ({ embedding: new Float32Array(x), embedderId: "e1" });
    const [p1, p2] = await e.write("n", [
      { op: "insert", record: r("r1"), vector: v([1, 0]) },
      { op: "insert", record: r("r2"), vector: v([1, 1]) },
    ]);
    const q = new Float32Array([1, 0]);
    assert.deepEqual((await e.nearest({ namespace: "n" }, q, 5)).map((h) => h.pk), [p1, p2]);
    // As a restore of an older copy would leave it: r2 gone without a tombstone, revision 1.
    const db = new DatabaseSync(path);
    try {
      db.exec("DELETE FROM memories WHERE id = 'r2'");
      db.exec("UPDATE meta SET value = '1' WHERE key = 'rev'");
    } finally {
      db.close();
    }
    assert.deepEqual((await e.nearest({ namespace: "n" }, q, 5)).map((h) => h.pk), [p1]);
  } finally {
    await e.close();
    await Deno.remove(dir, { recursive: true });
  }
});
