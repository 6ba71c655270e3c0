/** `memoryoss migrate`: report or apply pending schema steps without opening the full runtime. */
import { DatabaseSync } from "node:sqlite";
import { MemoryossError } from "../errors/mod.ts";
import { currentVersion, migrate, pendingMigrations, SCHEMA_VERSION } from "./schema.ts";

/** What `migrate` found or did. */
export interface MigrationReport {
  db_path: string;
  exists: boolean;
  current_version: number;
  target_version: number;
  pending: { version: number; description: string }[];
  applied: number[];
  dry_run: boolean;
}

/**
 * List (dry run) or apply the migrations a database needs. A dry run opens the file read-only
 * and changes nothing, not even the journal mode.
 *
 * @example
 * ```ts
 * const r = migrateDatabase("/tmp/m.db", { dryRun: true });
 * r.pending.length;
 * ```
 */
export function migrateDatabase(path: string, opts: { dryRun: boolean }): MigrationReport {
  let exists = true;
  try {
    Deno.statSync(path);
  } catch {
    exists = false;
  }
  const base = { db_path: path, exists, target_version: SCHEMA_VERSION, dry_run: opts.dryRun };
  if (!exists) {
    // A new home is created at the latest version on first use; nothing to migrate.
    return { ...base, current_version: 0, pending: [], applied: [] };
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: opts.dryRun });
  } catch (e) {
    throw new MemoryossError("IO", `cannot open database ${path}: ${(e as Error).message}`);
  }
  try {
    db.exec("PRAGMA busy_timeout = 10000");
    const current = currentVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new MemoryossError(
        "CONFLICT",
        `database schema v${current} is newer than this memoryoss (v${SCHEMA_VERSION}); upgrade memoryoss`,
      );
    }
    const pending = pendingMigrations(db).map((m) => ({
      version: m.version,
      description: m.description,
    }));
    const applied = opts.dryRun ? [] : migrate(db);
    return { ...base, current_version: current, pending, applied };
  } finally {
    db.close();
  }
}
