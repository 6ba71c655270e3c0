/**
 * Two processes on one SQLite home (tests/store/engine_processes.ts): a watcher polling the
 * revision is told of the other's writes and deletes; `exclusive` jobs held by a lease row.
 */
import { join } from "node:path";
import { SqliteEngine } from "../../lib/store/mod.ts";
import { exclusiveCase, nearestCase, watchCase } from "./engine_processes.ts";

async function withStore(fn: (url: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-engine-procs-" });
  try {
    const path = join(dir, "memoryoss.db");
    await SqliteEngine.open(path).close(); // the schema exists before the peers start
    await fn(`sqlite:${path}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("sqlite engine: a watcher process follows another's writes", () => withStore(watchCase));

Deno.test("sqlite engine: nearest in one process follows another's writes at once", () =>
  withStore(nearestCase));

Deno.test("sqlite engine: exclusive jobs, one holder across processes", () =>
  withStore(exclusiveCase));
