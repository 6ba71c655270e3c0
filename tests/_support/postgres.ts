/**
 * A real, throwaway PostgreSQL server for tests: Debian's `postgresql` binaries, `initdb` into a
 * temp dir (trust auth, owned by `postgres` when running as root, since initdb refuses root),
 * `pg_ctl` on a free 127.0.0.1 port, one database per test, stopped at the end (explicitly and,
 * as a backstop, on unload). `.ci/run` installs `postgresql` when missing, so on CI a missing
 * server is a failure; elsewhere tests are ignored with the reason (`postgresMissing()`).
 */
import { join } from "node:path";

/** A running cluster. */
export interface PgCluster {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/DB` */
  url(db?: string): string;
  /** Create a fresh database (unique name unless given); returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stop the server and remove its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<v>/bin` with initdb and pg_ctl, or null. */
export function postgresBin(): string | null {
  const env = Deno.env.get("PG_BIN");
  const dirs = env ? [env] : versions().map((v) => `/usr/lib/postgresql/${v}/bin`);
  for (const d of dirs) {
    try {
      Deno.statSync(join(d, "initdb"));
      Deno.statSync(join(d, "pg_ctl"));
      return d;
    } catch { /* next */ }
  }
  return null;
}

function versions(): string[] {
  try {
    return [...Deno.readDirSync("/usr/lib/postgresql")].map((e) => e.name)
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

/**
 * Why Postgres tests cannot run here, or null. On CI (`CI` set) it is always null, so a missing
 * server makes the tests fail instead of skipping.
 */
export function postgresMissing(): string | null {
  if (Deno.env.get("CI")) return null;
  return postgresBin()
    ? null
    : "PostgreSQL server binaries not installed (apt-get install postgresql)";
}

const isRoot = () => Deno.uid?.() === 0;

async function run(cmd: string, args: string[], asPostgres: boolean): Promise<string> {
  const [c, a] = asPostgres ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const out = await new Deno.Command(c, { args: a, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${text}`);
  return text;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const id = (flag: string) => run("id", [flag, "postgres"], false).then((s) => Number(s.trim()));
  return { uid: await id("-u"), gid: await id("-g") };
}

/**
 * Start a cluster. Throws (with initdb's or pg_ctl's output) when the binaries are missing or
 * the server does not come up.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * try { const url = await pg.createDatabase(); } finally { await pg.stop(); }
 * ```
 */
export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql)");
  const root = isRoot();
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-pg-" });
  if (root) {
    const { uid, gid } = await postgresIds();
    await Deno.chown(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = freePort();
  let stopped = false;
  const pgCtl = (args: string[]) => run(join(bin, "pg_ctl"), args, root);
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    const args = ["-D", data, "-m", "immediate", "-w", "stop"];
    const [c, a] = root ? ["runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args]] : [
      join(bin, "pg_ctl"),
      args,
    ];
    try {
      new Deno.Command(c, { args: a, stdout: "null", stderr: "null" }).outputSync();
    } catch { /* already gone */ }
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* best effort */ }
  };
  globalThis.addEventListener("unload", stopSync);
  try {
    await run(join(bin, "initdb"), [
      "-N",
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
    ], root);
    const opts = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await pgCtl(["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  } catch (e) {
    stopSync();
    throw e;
  }
  const url = (db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let n = 0;
  return {
    port,
    url,
    async createDatabase(name) {
      const db = name ?? `t${Date.now().toString(36)}_${n++}`;
      await run(join(bin, "createdb"), [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        db,
      ], false);
      return url(db);
    },
    stop() {
      stopSync();
      globalThis.removeEventListener("unload", stopSync);
      return Promise.resolve();
    },
  };
}
