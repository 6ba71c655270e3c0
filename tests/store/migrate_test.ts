import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { migrateDatabase, MIGRATIONS, SCHEMA_VERSION, Store } from "../../lib/store/mod.ts";

Deno.test("migrate: dry run lists pending steps and changes nothing; apply brings it current", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/m.db`;
    assert.deepEqual(migrateDatabase(path, { dryRun: true }).exists, false);
    // A database left at v1 by an older build.
    const db = new DatabaseSync(path);
    db.exec(MIGRATIONS[0].sql);
    db.exec("PRAGMA user_version = 1");
    db.close();
    const dry = migrateDatabase(path, { dryRun: true });
    assert.equal(dry.current_version, 1);
    assert.deepEqual(dry.pending.map((m) => m.version), MIGRATIONS.slice(1).map((m) => m.version));
    assert.deepEqual(dry.applied, []);
    assert.equal(migrateDatabase(path, { dryRun: true }).current_version, 1, "still v1");
    const done = migrateDatabase(path, { dryRun: false });
    assert.deepEqual(done.applied, dry.pending.map((m) => m.version));
    assert.equal(migrateDatabase(path, { dryRun: true }).current_version, SCHEMA_VERSION);
    Store.open(path).close(); // opens cleanly at the latest version
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("migrate: a database from a newer build is refused, not touched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = new DatabaseSync(`${dir}/m.db`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => migrateDatabase(`${dir}/m.db`, { dryRun: false }), /newer than this/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
