/**
 * Many writers, one database: two child processes (real `deno run` of
 * tests/_support/engine_writer.ts) write in parallel into one namespace of one Postgres
 * database through the engine; every write either of them had acknowledged must then be
 * readable by both, and the table must hold exactly those rows.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";
import { jsonLines } from "../_support/engine_peer_client.ts";
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";

const SCRIPT = fileURLToPath(new URL("../_support/engine_writer.ts", import.meta.url));
const COUNT = 300;
const BATCH = 5;

/** A child process speaking JSON lines. */
function writer(url: string, name: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      SCRIPT,
      url,
      name,
      "shared",
      String(COUNT),
      String(BATCH),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const next = jsonLines(out, () => `${name} ended early`);
  const send = (line: string) => w.write(new TextEncoder().encode(line + "\n"));
  return { child, next, send, close: () => w.close() };
}

Deno.test({
  ...skipIf(
    postgresMissing(),
    "postgres engine: two writer processes, every acknowledged write readable by both",
  ),
  async fn() {
    const pg = await startPostgres();
    try {
      const url = await pg.createDatabase();
      // The schema exists before the writers start (each would also create it under a lock).
      await (await PostgresEngine.open(url)).close();
      const ws = [writer(url, "wa"), writer(url, "wb")];
      for (const w of ws) assert.deepEqual(await w.next(), { ready: true });
      await Promise.all(ws.map((w) => w.send("go")));
      const acked = await Promise.all(ws.map(async (w) => {
        const ids: string[] = [];
        for (;;) {
          const m = await w.next();
          if (m.done) return ids;
          ids.push(...(m.acked as string[]));
        }
      }));
      assert.deepEqual(acked.map((a) => a.length), [COUNT, COUNT]);
      const all = acked.flat();
      await Promise.all(ws.map((w) => w.send(JSON.stringify({ ids: all }))));
      const reports = await Promise.all(ws.map((w) => w.next()));
      for (const [i, r] of reports.entries()) {
        assert.deepEqual(r.missing, [], `writer ${i} cannot read some acknowledged writes`);
        assert.equal(r.count, 2 * COUNT);
        assert.deepEqual([...(r.order as string[])].sort(), [...all].sort());
      }
      // The writers really ran at once: their rows alternate in revision order.
      const owners = (reports[0].order as string[]).map((id) => id.slice(0, 2));
      const switches = owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length;
      assert.ok(switches >= 2, `writes did not interleave (${switches} switches)`);
      for (const w of ws) {
        await w.close();
        const st = await w.child.status;
        const err = new TextDecoder().decode(
          (await w.child.stderr.getReader().read()).value ?? new Uint8Array(),
        );
        assert.equal(st.code, 0, err);
      }
    } finally {
      await pg.stop();
    }
  },
});
