/**
 * The shared engine suite (engine_suite.ts) on SQLite: today's Store behind the async
 * MemoryEngine interface, a fresh database file per step.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { encryptionFromConfig, SqliteEngine, type StoreEncryption } from "../../lib/store/mod.ts";
import { engineSuite } from "./engine_suite.ts";

Deno.test("engine suite: sqlite", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-engine-" });
  let n = 0;
  const files: string[] = [];
  try {
    const enc: StoreEncryption = encryptionFromConfig(join(dir, "memoryoss.key"), {
      enabled: true,
      index: "on",
    });
    await engineSuite(t, (o) => {
      const path = join(dir, `e${n++}.db`);
      files.push(path);
      return Promise.resolve(SqliteEngine.open(path, { encryption: o?.encryption }));
    }, enc);
    // The sealed step's file holds ciphertext, not the words.
    const db = new DatabaseSync(files[files.length - 1], { readOnly: true });
    const row = db.prepare("SELECT content FROM memories WHERE id = 's1'").get() as {
      content: string;
    };
    db.close();
    assert.ok(row.content.startsWith("enc1:"), row.content);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
