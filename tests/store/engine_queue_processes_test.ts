/**
 * The remember queue's claim across processes on one SQLite file: three child processes
 * (`deno eval`, each with its own connection) claim one row at a time from 30 queued rows until
 * none is left; every row must be claimed exactly once (the claim is one IMMEDIATE transaction).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SqliteEngine } from "../../lib/store/mod.ts";

const MOD = new URL("../../lib/store/mod.ts", import.meta.url).href;

/**
 * A claimer: says it is ready, waits for the go file (so the three start together), claims
 * until the queue is empty (a short pause between claims), prints the ids it got as JSON.
 */
function claimer(path: string, dir: string, worker: string): string {
  return `
    import { SqliteEngine } from ${JSON.stringify(MOD)};
    const e = SqliteEngine.open(${JSON.stringify(path)});
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    Deno.writeTextFileSync(${JSON.stringify(join(dir, `ready-${worker}`))}, "");
    for (;;) {
      try { Deno.statSync(${JSON.stringify(join(dir, "go"))}); break; } catch { await sleep(2); }
    }
    const mine = [];
    for (;;) {
      await sleep(5);
      const rows = await e.queue.claim("*", {
        worker: ${JSON.stringify(worker)}, at: "2026-04-01T00:01:00.000Z", limit: 1, maxAttempts: 3,
      });
      if (rows.length === 0) break;
      mine.push(...rows.map((r) => r.id));
    }
    await e.close();
    console.log(JSON.stringify(mine));`;
}

Deno.test("sqlite engine: three processes claim 30 queue rows, none twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-queue-procs-" });
  try {
    const path = join(dir, "memoryoss.db");
    const e = SqliteEngine.open(path);
    let ids: number[];
    try {
      const payloads = Array.from({ length: 30 }, (_, i) => `{"n":${i}}`);
      ids = await e.queue.enqueue("ns", payloads, "2026-04-01T00:00:00.000Z");
    } finally {
      await e.close();
    }
    const workers = ["w1", "w2", "w3"];
    const running = workers.map((w) =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "--quiet", claimer(path, dir, w)],
        stdout: "piped",
        stderr: "piped",
      }).output()
    );
    const ready = () => workers.every((w) => existsSync(join(dir, `ready-${w}`)));
    for (let i = 0; i < 3000 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
    await Deno.writeTextFile(join(dir, "go"), "");
    const outs = await Promise.all(running.map(async (p) => {
      const out = await p;
      const err = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, err);
      return JSON.parse(new TextDecoder().decode(out.stdout)) as number[];
    }));
    assert.deepEqual(outs.flat().sort((a, b) => a - b), ids, "every row claimed exactly once");
    assert.ok(outs.filter((o) => o.length > 0).length >= 2, `claims interleaved: ${outs}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
