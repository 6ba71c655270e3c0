/**
 * One process on a shared store for the many-process engine tests (tests/postgres/
 * engine_watch_test.ts, tests/store/engine_processes_sqlite_test.ts): opens the engine at
 * `postgres://…` or `sqlite:PATH` and follows JSON-line commands on stdin, answering on stdout:
 *
 * - `{"op":"watch","ns":N,"intervalMs":50}` → `{"watching":rev}`, then for every revision
 *   `watch` reports, `changesSince([N], last)`: `{"told":rev,"rev":…,"upserts":[ids],"deletes":[ids]}`
 * - `{"op":"write","ns":N,"ids":[…],"vectors":{id:[…]}}` → `{"acked":[ids],"rev":currentRev}`
 *   (`vectors` optional: a row's vector, embedder "e1")
 * - `{"op":"update","ns":N,"id":I,"status":S,"archived":B,"vector":[…]}` (each optional) →
 *   `{"updated":I,"rev":currentRev}`
 * - `{"op":"nearest","ns":N,"q":[…],"k":K,"statuses":[…],"archived":A}` →
 *   `{"near":[ids best first]}`
 * - `{"op":"delete","ns":N,"ids":[…]}` → `{"deleted":n,"rev":currentRev}`
 * - `{"op":"job","name":J}` → `{"running":J}` while it runs (until `{"op":"release"}`), then
 *   `{"job":J,"ran":true}`; or at once `{"job":J,"ran":false}` when held elsewhere
 * - `{"op":"quit"}` closes the engine and exits.
 *
 * Usage: deno run --allow-net --allow-env --allow-read --allow-write engine_peer.ts URL
 */
import { newRecord, SqliteEngine } from "../../lib/store/mod.ts";
import type { MemoryEngine, Status } from "../../lib/store/mod.ts";
import { PostgresEngine } from "../../lib/store/postgres/mod.ts";

const [url] = Deno.args;
const say = (o: unknown) => console.log(JSON.stringify(o));
const engine: MemoryEngine = url.startsWith("sqlite:")
  ? SqliteEngine.open(url.slice("sqlite:".length))
  : await PostgresEngine.open(url);

let release = null as (() => void) | null;
let stopWatch = null as (() => Promise<void>) | null;

async function watch(ns: string, intervalMs: number) {
  let last = -1;
  let chain = Promise.resolve();
  stopWatch = await engine.watch((told) => {
    if (last < 0) {
      last = told;
      return say({ watching: told });
    }
    chain = chain.then(async () => {
      const ch = await engine.changesSince([ns], last);
      last = ch.rev;
      say({
        told,
        rev: ch.rev,
        upserts: ch.upserts.map((u) => u.id).sort(),
        deletes: ch.deletes.map((d) => d.id).sort(),
      });
    });
  }, { intervalMs });
}

const vector = (v?: number[]) =>
  v ? { embedding: new Float32Array(v), embedderId: "e1" } : undefined;

async function write(ns: string, ids: string[], vectors: Record<string, number[]> = {}) {
  await engine.write(
    ns,
    ids.map((id) => ({
      op: "insert" as const,
      record: newRecord({
        id,
        namespace: ns,
        content: `memory ${id}`,
        created_at: "2026-12-01T00:00:00.000Z",
      }),
      vector: vector(vectors[id]),
    })),
  );
  say({ acked: ids, rev: await engine.currentRev() });
}

async function update(
  ns: string,
  id: string,
  c: { status?: Status; archived?: boolean; vector?: number[] },
) {
  const m = await engine.getById(ns, id);
  if (!m) throw new Error(`no ${id} in ${ns}`);
  const record = {
    ...m.record,
    status: c.status ?? m.record.status,
    archived: c.archived ?? m.record.archived,
  };
  await engine.write(ns, [{ op: "update", pk: m.pk, record, vector: vector(c.vector) }]);
  say({ updated: id, rev: await engine.currentRev() });
}

async function nearest(
  ns: string,
  q: number[],
  k: number,
  f: { statuses?: Status[]; archived?: "exclude" | "include" | "only" },
) {
  const filter = { namespace: ns, statuses: f.statuses, archived: f.archived };
  const hits = await engine.nearest(filter, new Float32Array(q), k);
  const rows = await engine.getMany(ns, hits.map((h) => h.pk));
  say({ near: rows.map((m) => m.record.id) });
}

async function remove(ns: string, ids: string[]) {
  const pks = [];
  for (const id of ids) {
    const m = await engine.getById(ns, id);
    if (m) pks.push(m.pk);
  }
  say({ deleted: await engine.delete(ns, pks), rev: await engine.currentRev() });
}

function job(name: string) {
  engine.exclusive(name, () => {
    say({ running: name });
    return new Promise<void>((resolve) => (release = resolve));
  }).then((r) => say({ job: name, ran: r.ran }), (e) => say({ job: name, error: String(e) }));
}

let buf = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  buf += chunk;
  let i: number;
  while ((i = buf.indexOf("\n")) >= 0) {
    const cmd = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (cmd.op === "watch") await watch(cmd.ns, cmd.intervalMs ?? 1000);
    else if (cmd.op === "write") await write(cmd.ns, cmd.ids, cmd.vectors);
    else if (cmd.op === "update") await update(cmd.ns, cmd.id, cmd);
    else if (cmd.op === "nearest") await nearest(cmd.ns, cmd.q, cmd.k, cmd);
    else if (cmd.op === "delete") await remove(cmd.ns, cmd.ids);
    else if (cmd.op === "job") job(cmd.name);
    else if (cmd.op === "release") release?.();
    else if (cmd.op === "quit") {
      await stopWatch?.();
      await engine.close();
      Deno.exit(0);
    }
  }
}
