/**
 * The shared engine suite (engine_suite.ts) on SQLite: today's Store behind the async
 * MemoryEngine interface, a fresh database file per step (a second engine on the same file for
 * the queue's two claimers).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { encryptionFromConfig, SqliteEngine, type StoreEncryption } from "../../lib/store/mod.ts";
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
