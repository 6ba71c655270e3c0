/**
 * One namespace rule for every door: after `store use work`, every namespaced command acts on
 * `work` and leaves `default` alone; MEMORYOSS_NAMESPACE wins over the current store and
 * `--namespace` over both. Each row runs the real command through main.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, cliWith, type Json } from "./_helpers.ts";
import { call, connect } from "../mcp/_client.ts";
import { request, spawnServe } from "../server/_api_support.ts";

const WORK = "Work fact: the release train leaves on Thursdays.";
const DEFAULT = "Default fact: the office plants need water.";

async function homeWithWorkStore(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-ns-rule-" });
  const ok = async (...args: string[]) => {
    const r = await cli(home, ...args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  };
  await ok("store", "--namespace", "default", DEFAULT);
  await ok("store", "create", "work");
  await ok("store", "use", "work");
  await ok("store", WORK);
  return home;
}

/** Each row: the command, and what in its output shows which namespace it acted on. */
const ROWS: { what: string; args: string[]; check: (out: string, home: string) => void }[] = [
  {
    what: "recall",
    args: ["recall", "--json", "release train office plants"],
    check: (o) => {
      const j = JSON.parse(o);
      assert.equal(j.namespace, "work");
      assert.ok(j.memories.every((m: Json) => m.content !== DEFAULT));
    },
  },
  {
    what: "list",
    args: ["list", "--json"],
    check: (o) => assert.equal(JSON.parse(o).namespace, "work"),
  },
  {
    what: "export",
    args: ["export"],
    check: (o) => assert.ok(o.includes(WORK) && !o.includes(DEFAULT)),
  },
  {
    what: "passport export",
    args: ["passport", "export", "--scope", "all"],
    check: (o) => {
      const j = JSON.parse(o);
      assert.equal(j.namespace, "work");
      assert.ok(o.includes("release train") && !o.includes("office plants"));
    },
  },
  {
    what: "bundle export",
    args: ["bundle", "export", "--scope", "all"],
    check: (o) => assert.equal(JSON.parse(o).namespace, "work"),
  },
  {
    what: "adapter export",
    args: ["adapter", "export", "--kind", "claude_project"],
    check: (o) => assert.ok(o.includes("release train") && !o.includes("office plants"), o),
  },
  {
    what: "embed reembed",
    args: ["embed", "reembed", "--json"],
    check: (o) => assert.deepEqual(JSON.parse(o).namespaces, ["work"]),
  },
  {
    what: "decay",
    args: ["decay", "--dry-run", "--json"],
    check: (o) => assert.equal(JSON.parse(o).namespace, "work"),
  },
  {
    what: "gc",
    args: ["gc", "--dry-run", "--json"],
    check: (o) => assert.equal(JSON.parse(o).namespace, "work"),
  },
];

Deno.test("namespace rule: after `store use work` every namespaced command acts on work", async () => {
  const home = await homeWithWorkStore();
  for (const row of ROWS) {
    const r = await cli(home, ...row.args);
    assert.equal(r.code, 0, `${row.what}: ${r.stderr}`);
    row.check(r.stdout, home);
  }
  // writes: import and remember + drain land in work; default keeps its one memory
  const file = join(home, "in.jsonl");
  await Deno.writeTextFile(
    file,
    JSON.stringify({ content: "The quarterly budget review happens in March." }) + "\n",
  );
  assert.equal((await cli(home, "import", "--file", file)).code, 0);
  assert.equal((await cli(home, "remember", "Alice prefers tabs over spaces in Go code.")).code, 0);
  assert.equal((await cli(home, "drain")).code, 0);
  const work = (await cli(home, "list", "--json", "-n", "work")).json();
  const def = (await cli(home, "list", "--json", "-n", "default")).json();
  assert.equal(work.total, 3);
  assert.equal(def.total, 1);
  await Deno.remove(home, { recursive: true });
});

Deno.test("namespace rule: MEMORYOSS_NAMESPACE over the current store, --namespace over both", async () => {
  const home = await homeWithWorkStore();
  const env = { MEMORYOSS_NAMESPACE: "default" };
  const viaEnv = await cliWith(home, { env }, "list", "--json");
  assert.equal(viaEnv.json().namespace, "default");
  const flag = await cliWith(home, { env }, "list", "--json", "--namespace", "work");
  assert.equal(flag.json().namespace, "work");
  const decay = await cliWith(home, { env }, "decay", "--dry-run", "--json");
  assert.equal(decay.json().namespace, "default");
  const all = await cli(home, "gc", "--all-namespaces", "--dry-run", "--json");
  assert.deepEqual(all.json().namespaces.map((n: Json) => n.namespace).sort(), ["default", "work"]);
  const both = await cli(home, "gc", "--all-namespaces", "--namespace", "work");
  assert.equal(both.code, 3);
  await Deno.remove(home, { recursive: true });
});

Deno.test("namespace rule: the hook, stdio MCP and serve's owner key default to the current store", async () => {
  const home = await homeWithWorkStore();
  const hook = await cliWith(home, { stdin: "{}" }, "hook", "session-start");
  assert.equal(hook.code, 0, hook.stderr);
  assert.ok(hook.stdout.includes("release train"), hook.stdout);
  assert.ok(!hook.stdout.includes("office plants"), hook.stdout);

  {
    await using c = await connect(home);
    const stored = await call(c.client, "memoryoss_store", { content: "Stored over MCP." });
    assert.equal(stored.isError, false, stored.text);
  }
  const server = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
  try {
    const r = await request(`${server.url}/v1/store`, "POST", {
      key: server.printedKey,
      body: { content: "Stored over HTTP with the owner key." },
    });
    assert.equal(r.status, 200, r.text);
  } finally {
    await server.kill("SIGTERM");
  }
  const work = (await cli(home, "list", "--json", "-n", "work")).json();
  const contents = work.memories.map((m: Json) => m.content);
  assert.ok(contents.includes("Stored over MCP."), JSON.stringify(contents));
  assert.ok(contents.includes("Stored over HTTP with the owner key."), JSON.stringify(contents));
  assert.equal((await cli(home, "list", "--json", "-n", "default")).json().total, 1);
  await Deno.remove(home, { recursive: true });
});
