/**
 * Where a copy goes (`postgres://…` or `sqlite:PATH`) and the Postgres connection: one pinned
 * client (`postgres`), int8 read as numbers, the schema chosen with `?schema=` (default
 * `memoryoss`), and a server that cannot be reached reported in one line.
 *
 * @module
 */
import postgres from "postgres";
import { MemoryossError } from "../../errors/mod.ts";

/** A Postgres connection as used here (tagged templates and `unsafe`). */
export type Sql = postgres.Sql;

/** A parsed `--to`/`--from` value. */
export type Target =
  | { kind: "postgres"; url: string; schema: string; display: string }
  | { kind: "sqlite"; path: string; display: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parse a target: `postgres://USER[:PASS]@HOST[:PORT]/DB[?schema=NAME]` (also `postgresql://`)
 * or `sqlite:PATH`. Bad input is INVALID_INPUT (exit 3); the password never appears in messages.
 *
 * @example
 * ```ts
 * parseTarget("postgres://me@db.local/memory?schema=team").schema; // "team"
 * parseTarget("sqlite:/srv/home/memoryoss.db").kind; // "sqlite"
 * ```
 */
export function parseTarget(value: string, flag = "--to"): Target {
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (!path) {
      throw new MemoryossError("INVALID_INPUT", `${flag} sqlite:PATH needs a path`, [flag]);
    }
    return { kind: "sqlite", path, display: `sqlite:${path}` };
  }
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${flag} must be postgres://USER@HOST[:PORT]/DB or sqlite:PATH`,
      [flag],
    );
  }
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new MemoryossError("INVALID_INPUT", `${flag}: not a valid postgres:// URL`, [flag]);
  }
  if (!u.hostname && !u.searchParams.get("host")) {
    throw new MemoryossError("INVALID_INPUT", `${flag}: the URL names no host`, [flag]);
  }
  const db = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!db || db.includes("/")) {
    throw new MemoryossError("INVALID_INPUT", `${flag}: the URL names no database (…/DB)`, [flag]);
  }
  const schema = u.searchParams.get("schema") ?? "memoryoss";
  if (!SCHEMA_NAME.test(schema)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `${flag}: schema must be lower-case letters, digits and _ (got ${JSON.stringify(schema)})`,
      [flag],
    );
  }
  u.searchParams.delete("schema");
  const display = `postgres://${u.username ? `${u.username}@` : ""}${u.host}/${db}` +
    (schema === "memoryoss" ? "" : `?schema=${schema}`);
  return { kind: "postgres", url: u.toString(), schema, display };
}

/** int8 as JS numbers (pks, revisions and counters stay far below 2^53). */
const INT8 = {
  to: 20,
  from: [20],
  serialize: (x: number) => String(x),
  parse: (x: string) => Number(x),
};

/**
 * Connect and check the server answers. Unreachable servers, refused logins and missing
 * databases are UNAVAILABLE with one line naming the server (never the password).
 *
 * @example
 * ```ts
 * const sql = await connectPostgres(parseTarget(url) as PostgresTarget);
 * try { await sql`SELECT 1`; } finally { await sql.end(); }
 * ```
 */
export async function connectPostgres(t: Extract<Target, { kind: "postgres" }>): Promise<Sql> {
  // Without a user in the URL the client asks the OS (a permission `migrate` does not hold).
  const user = new URL(t.url).username
    ? undefined
    : Deno.env.get("PGUSER") ?? Deno.env.get("USER") ?? "postgres";
  const sql = postgres(t.url, {
    ...(user ? { user } : {}),
    // One session, kept for the whole run: the search_path set below must hold for every query.
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: null,
    max_lifetime: null,
    types: { int8: INT8 },
    connection: { search_path: t.schema, application_name: "memoryoss" },
  }) as unknown as Sql;
  try {
    // Also as a statement: poolers and PGlite's socket server ignore startup parameters.
    await sql.unsafe(`SET search_path TO ${t.schema}, public`);
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new MemoryossError("UNAVAILABLE", `cannot reach ${t.display}: ${reason(e)}`);
  }
  return sql;
}

/** A short reason from a connection error. */
export function reason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e).split("\n")[0];
  if (err.code === "ECONNREFUSED" || /ECONNREFUSED|refused/i.test(msg)) return "connection refused";
  if (err.code === "CONNECT_TIMEOUT") return "connection timed out";
  if (err.code === "ENOTFOUND" || /ENOTFOUND|lookup|resolve/i.test(msg)) return "host not found";
  if (err.code === "3D000") return "database does not exist";
  if (err.code === "28P01" || err.code === "28000") return "login refused";
  return msg.replace(/postgres(ql)?:\/\/[^\s]*/g, "postgres://…");
}
