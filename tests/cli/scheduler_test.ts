/**
 * `scheduler start|stop|status` through main.ts, as memman users know it: stopped means
 * recall-only. Every write verb fails with "Scheduler is stopped; cannot <verb>" and changes
 * nothing (exit 1 as memman's spec says for its verbs, forget included; exit 5 for ours: store,
 * update, import, graph unlink), recall keeps working, the drain applies nothing, and a server that was already
 * running (HTTP and MCP) refuses writes too, because the switch is one file every process reads.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, type CliResult, cliWith, okJson, show, storeJson, withHome } from "./_helpers.ts";
import { request, spawnServe } from "../server/_api_support.ts";
import { call, connect } from "../mcp/_client.ts";

/**
 * `scheduler ARGS…` with the user's systemd and launchd folders inside the test home, so
 * start/stop never switch a real installed drain timer.
 */
function sched(home: string, ...args: string[]) {
  const env = { XDG_CONFIG_HOME: join(home, "xdg"), HOME: join(home, "user") };
  return cliWith(home, { env }, "scheduler", ...args);
}

/** The refusal exactly as memman words it, in our one-line error form. */
const refused = (verb: string) => `memoryoss: error: Scheduler is stopped; cannot ${verb}\n`;

/** memman §6: "Writes (remember, replace, forget, graph link/rebuild, insights protect) exit 1". */
const MEMMAN_EXIT_1 = [
  "remember",
  "replace",
  "forget",
  "graph link",
  "graph rebuild",
  "insights protect",
];

function assertRefused(r: CliResult, verb: string): void {
  assert.equal(r.code, MEMMAN_EXIT_1.includes(verb) ? 1 : 5, show(r));
  assert.equal(r.stderr, refused(verb), show(r));
  assert.equal(r.stdout, "", show(r));
}

Deno.test("scheduler: stopped refuses every write verb (memman's exit 1, ours 5); recall works; start resumes", async () => {
  await withHome(async (home) => {
    const first = okJson(await cli(home, "scheduler", "status", "--json"));
    assert.equal(first.state, "started"); // no state file yet: writes allowed
    assert.equal(first.source, "default");
    const a = (await storeJson(home, "-n", "t", "The deploy key lives in the vault")).id;
    const b = (await storeJson(home, "-n", "t", "Release trains leave on Tuesdays")).id;

    assert.equal((await sched(home, "stop")).code, 0);
    const st = okJson(await cli(home, "scheduler", "status", "--json"));
    assert.equal(st.state, "stopped");
    assert.equal(st.state_file, join(home, "scheduler.state"));
    assert.equal(await Deno.readTextFile(join(home, "scheduler.state")), "stopped\n");

    const writes: [string, string[]][] = [
      ["remember", ["remember", "-n", "t", "Standups start at nine"]],
      ["replace", ["replace", a, "The deploy key lives in the HSM"]],
      ["forget", ["forget", "-n", "t", "--ids", a]],
      ["graph link", ["graph", "link", a, b, "--kind", "causal"]],
      ["graph rebuild", ["graph", "rebuild"]],
      ["insights protect", ["insights", "protect", a]],
      ["store", ["store", "-n", "t", "Builds run on the ci runner"]],
      ["update", ["update", a, "--tags", "ops"]],
    ];
    for (let i = 0; i < writes.length; i += 4) {
      const batch = writes.slice(i, i + 4);
      const results = await Promise.all(batch.map(([, args]) => cli(home, ...args)));
      results.forEach((r, j) => assertRefused(r, batch[j][0]));
    }

    // Nothing changed: the same two memories, untouched, and an empty queue.
    const list = okJson(await cli(home, "list", "-n", "t", "--json"));
    const versions = Object.fromEntries(
      list.memories.map((m: { id: string; version: number; tags: string[] }) => [
        m.id,
        [m.version, m.tags.join(",")],
      ]),
    );
    assert.deepEqual(versions, { [a]: [1, ""], [b]: [1, ""] });
    assert.equal(okJson(await cli(home, "scheduler", "status", "--json")).queue.pending, 0);
    const recalled = await cli(home, "recall", "-n", "t", "where is the deploy key");
    assert.equal(recalled.code, 0, show(recalled));
    assert.match(recalled.stdout, /The deploy key lives in the vault/);
    // A dry run is a read: it works while stopped.
    assert.equal((await cli(home, "forget", "-n", "t", "--ids", a, "--dry-run")).code, 0);

    assert.equal((await sched(home, "start")).code, 0);
    assert.equal(okJson(await cli(home, "scheduler", "status", "--json")).state, "started");
    const queued = okJson(await cli(home, "remember", "-n", "t", "--json", "Standups at nine"));
    assert.equal(queued.action, "queued");
  });
});

Deno.test("scheduler: a stopped drain applies nothing; after start the fact is recallable", async () => {
  await withHome(async (home) => {
    okJson(await cli(home, "remember", "-n", "t", "--json", "The canary runs for forty minutes"));
    assert.equal((await sched(home, "stop")).code, 0);
    const stopped = okJson(await cli(home, "drain", "--json"));
    assert.equal(stopped.processed, 0);
    assert.equal(stopped.scheduler, "stopped");
    assert.equal(stopped.queue.pending, 1);
    const text = await cli(home, "drain");
    assert.equal(text.stdout, "scheduler is stopped; nothing drained (1 pending)\n", show(text));
    const before = await cli(home, "recall", "-n", "t", "how long does the canary run");
    assert.doesNotMatch(before.stdout, /forty minutes/);

    assert.equal((await sched(home, "start")).code, 0);
    const ran = okJson(await cli(home, "drain", "--json"));
    assert.equal(ran.processed, 1);
    assert.equal(ran.scheduler, undefined);
    const after = await cli(home, "recall", "-n", "t", "how long does the canary run");
    assert.match(after.stdout, /forty minutes/, show(after));
  });
});

Deno.test("scheduler: a server started before 'stop' refuses writes (HTTP 403, MCP error) and still recalls", async () => {
  await withHome(async (home) => {
    await storeJson(home, "-n", "t", "The deploy key lives in the vault");
    const serve = await spawnServe(home);
    try {
      await using mcp = await connect(home);
      const key = serve.printedKey!;
      assert.ok(key, "serve printed no admin key");
      assert.equal((await sched(home, "stop")).code, 0);

      const store = (body: unknown) => request(`${serve.url}/v1/store`, "POST", { key, body });
      const no = await store({ content: "Builds run on the ci runner", namespace: "t" });
      assert.equal(no.status, 403, no.text);
      assert.equal(no.json.error.code, "FORBIDDEN");
      assert.equal(no.json.error.message, "Scheduler is stopped; cannot store");
      const recall = await request(`${serve.url}/v1/recall`, "POST", {
        key,
        body: { query: "where is the deploy key", namespace: "t" },
      });
      assert.equal(recall.status, 200, recall.text);
      assert.match(recall.text, /deploy key lives in the vault/);
      const tool = await call(mcp.client, "memoryoss_store", {
        content: "Builds run on the ci runner",
        namespace: "t",
      });
      assert.ok(tool.isError, tool.text);
      assert.match(tool.text, /Scheduler is stopped; cannot store/);

      assert.equal((await sched(home, "start")).code, 0);
      const yes = await store({ content: "Builds run on the ci runner", namespace: "t" });
      assert.equal(yes.status, 200, yes.text);
    } finally {
      await serve.kill("SIGTERM");
    }
  });
});
