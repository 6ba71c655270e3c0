/**
 * The one gate from cli/ to lib/store/postgres (its own face, with the `postgres` client):
 * loaded only when a command meets a Postgres target (`migrate --to/--from/--to-configured`,
 * `doctor` with `[storage] backend = "postgres"`), so no other start-up pays for it.
 */
import type { PostgresProbe } from "../lib/doctor/mod.ts";

/** lib/store/postgres/mod.ts, loaded on first use. */
export const loadPostgres = () => import("../lib/store/postgres/mod.ts");

/** doctor's engine probe: what the store at `url` is, and the newest schema this build knows. */
export const probePostgres: PostgresProbe = async (url) => {
  const pg = await loadPostgres();
  return { info: await pg.probePostgres(url), newest: pg.PG_SCHEMA_VERSION };
};
