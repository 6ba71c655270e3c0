/**
 * A writer process for tests/postgres/engine_many_writers_test.ts: opens the Postgres engine
 * at `url`, says `ready`, waits for `go` on stdin, writes `count` memories into `namespace`
 * in batches of `batch` (printing each acknowledged batch's ids), then waits for the ids every
 * writer had acknowledged and reports which of them it cannot read.
 *
 * Usage: deno run --allow-net --allow-env --allow-read engine_writer.ts URL NAME NAMESPACE COUNT BATCH
 */
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";
import { newRecord } from "../../lib/store/mod.ts";

const [url, name, ns, countText, batchText] = Deno.args;
const count = Number(countText);
const batch = Number(batchText);

const say = (o: unknown) => console.log(JSON.stringify(o));

async function* lines(): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
}

const engine = await PostgresEngine.open(url);
const input = lines();
say({ ready: true });
await input.next(); // "go"
for (let i = 0; i < count; i += batch) {
  const rows = [];
  for (let j = i; j < Math.min(count, i + batch); j++) {
    const id = `${name}-${String(j).padStart(4, "0")}`;
    const record = newRecord({
      id,
      namespace: ns,
      content: `memory ${j} written by ${name}`,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, j)).toISOString(),
    });
    rows.push({
      op: "insert" as const,
      record,
      vector: { embedding: new Float32Array([j + 1, name.length, 1]), embedderId: "t" },
    });
  }
  await engine.write(ns, rows);
  say({ acked: rows.map((r) => r.record.id) });
}
say({ done: true });
const verify = JSON.parse((await input.next()).value as string) as { ids: string[] };
const missing: string[] = [];
for (const id of verify.ids) if (!(await engine.getById(ns, id))) missing.push(id);
const changes = await engine.changesSince([ns], 0);
say({
  missing,
  count: await engine.count({ namespace: ns }),
  order: changes.upserts.map((u) => u.id),
});
await engine.close();
