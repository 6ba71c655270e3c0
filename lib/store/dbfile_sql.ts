/**
 * Questions and copies about a database FILE, by path, without opening it as a {@link Store}
 * (no migration, no write): the online snapshot `backup` takes, the key id of a sealed value
 * (the reader lib/config's loader and the store hand to lib/crypto's keyless guard), and the
 * count of sealed memories (`backup`, `restore`).
 *
 * A leaf on purpose: it imports only `node:sqlite`, so lib/config's loader, on every
 * command's start-up path, can use it without loading the store.
 */
import { backup, DatabaseSync } from "node:sqlite";

/** Where sealed values can live: table and text column. */
const SEALED_COLUMNS: [string, string][] = [
  ["memories", "content"],
  ["remember_queue", "payload"],
  ["memory_edges", "detail"],
];

/**
 * A consistent copy of a live database: one read transaction, WAL content included.
 *
 * @example
 * ```ts
 * await snapshotDatabase("/home/me/.memoryoss/memoryoss.db", "/tmp/copy.db");
 * ```
 */
export async function snapshotDatabase(
  dbPath: string,
  target: string,
  busyTimeoutMs = 10000,
): Promise<{ schema_version: number; memory_count: number | null }> {
  const src = new DatabaseSync(dbPath, { readOnly: true });
  try {
    src.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // SQLite's online backup, all pages in one step (one consistent read). VACUUM INTO would
    // need ATTACH, which node:sqlite refuses to a process without ffi permission.
    await backup(src, target, { rate: 1_000_000_000 });
  } finally {
    src.close();
  }
  const copy = new DatabaseSync(target, { readOnly: true });
  try {
    const v = copy.prepare("PRAGMA user_version").get() as { user_version: number };
    let count: number | null = null;
    try {
      count = (copy.prepare("SELECT count(*) AS n FROM memories").get() as { n: number }).n;
    } catch { /* a database without the memories table yet */ }
    return { schema_version: v.user_version, memory_count: count };
  } finally {
    copy.close();
  }
}

/** `fn` on the database at `dbPath` opened read-only; `fallback` when it cannot be opened. */
function readOnly<T>(dbPath: string, fallback: T, fn: (db: DatabaseSync) => T): T {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
  } catch {
    return fallback;
  }
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * The key id of one sealed value in the database file, or null when it holds none (or cannot
 * be opened).
 */
export function sealedKidInFile(dbPath: string): string | null {
  return readOnly(dbPath, null, (db) => {
    for (const [table, column] of SEALED_COLUMNS) {
      try {
        const row = db.prepare(
          `SELECT substr(${column}, 6, 12) AS kid FROM ${table} ` +
            `WHERE ${column} LIKE 'enc1:____________:%' LIMIT 1`,
        ).get() as { kid: string } | undefined;
        if (row) return row.kid;
      } catch { /* table not created yet */ }
    }
    return null;
  });
}

/**
 * Encrypted memories in a database file (0 when it has none or no memories table). Backups
 * and restores use it to say clearly that such a home needs its `memoryoss.key`.
 *
 * @example
 * ```ts
 * encryptedRowCount("/home/me/.memoryoss/memoryoss.db");
 * ```
 */
export function encryptedRowCount(dbPath: string): number {
  return readOnly(dbPath, 0, (db) => {
    try {
      return (db.prepare(
        "SELECT count(*) AS n FROM memories WHERE content LIKE 'enc1:____________:%'",
      ).get() as { n: number }).n;
    } catch {
      return 0;
    }
  });
}
