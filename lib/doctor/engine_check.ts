/**
 * The doctor's engine line for `[storage] backend = "postgres"`: what serves at the configured
 * URL (server version, vector mode, schema version), or why it cannot be reached, in one line
 * without the password. The Postgres client is the caller's to load (cli/doctor.ts passes
 * `store/postgres`'s probe), so lib/doctor does not pull it in.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { EngineInfo } from "../store/mod.ts";
import type { Finding } from "./checks.ts";

/**
 * Reads a Postgres store without changing it: its {@link EngineInfo} and the newest schema
 * version this build knows. Throws UNAVAILABLE (one line, no password) when unreachable.
 */
export type PostgresProbe = (url: string) => Promise<{ info: EngineInfo; newest: number }>;

/** One `engine` finding for the Postgres store at `url`. */
export async function checkPostgresEngine(url: string, probe?: PostgresProbe): Promise<Finding> {
  if (!probe) {
    return { check: "engine", level: "warn", message: "postgres: not checked (no probe given)" };
  }
  let got;
  try {
    got = await probe(url);
  } catch (e) {
    if (!(e instanceof MemoryossError)) throw e;
    return {
      check: "engine",
      level: "error",
      message: e.message,
      hint: "check [storage] url (or MEMORYOSS_DATABASE_URL), that the server runs and the " +
        "role may log in",
    };
  }
  const { info, newest } = got;
  const vectors = info.vectors === "vector"
    ? `pgvector ${info.pgvector}`
    : `real[] (${info.pgvector ? `pgvector ${info.pgvector} installed after` : "no pgvector"})`;
  const head = `postgres ${info.version.split(" ")[0]} at ${info.location}, vectors ${vectors}`;
  if (info.schema_version === 0) {
    return {
      check: "engine",
      level: "warn",
      message: `${head}, no memoryoss schema yet`,
      hint: "memoryoss migrate --to-configured (copies this home there)",
    };
  }
  if (info.schema_version > newest) {
    return {
      check: "engine",
      level: "error",
      message: `${head}, schema v${info.schema_version} (newer than this memoryoss, v${newest})`,
      hint: "upgrade memoryoss",
    };
  }
  return { check: "engine", level: "ok", message: `${head}, schema v${info.schema_version}` };
}
