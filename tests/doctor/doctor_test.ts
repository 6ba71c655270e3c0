/**
 * doctor on a deliberately damaged home: FTS rows deleted, vectors nulled or truncated, a
 * foreign embedder id, a world-readable key, a client file edited away. doctor must name each
 * with a hint and exit non-zero; --repair must fix them all.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { type Finding, runDoctor } from "../../lib/doctor/mod.ts";
import { loadConfig } from "../../lib/config/mod.ts";
import { importText, openRuntime, recall } from "../../lib/memory/mod.ts";
import { runSetup } from "../../lib/setup/mod.ts";
import { setupHome } from "../setup/_support.ts";

const ENTRY = new URL("./_entry.ts", import.meta.url).pathname;

const FACTS = [
  "Deploy only after staging signoff.",
  "The billing service owns the invoices table.",
  "Use pnpm, not npm, in the web repo.",
  "Nightly backups run at 02:00 UTC.",
  "The on-call rotation changes every Monday.",
  "MEMORYOSS_HOME points at the data folder.",
];

async function seed(env: (k: string) => string | undefined): Promise<string> {
  const loaded = await loadConfig({ env });
  const rt = await openRuntime(loaded);
  try {
    await importText(rt, FACTS.map((content) => JSON.stringify({ content })).join("\n"));
  } finally {
    rt.close();
  }
  return loaded.dbPath;
}

function damage(dbPath: string): void {
  const db = new DatabaseSync(dbPath);
  try {
    // Content is encrypted on disk, so rows are picked by position in FACTS (pk order).
    const pk = (word: string) => 1 + FACTS.findIndex((f) => f.includes(word));
    db.exec(`DELETE FROM memories_fts WHERE rowid IN (${pk("billing")}, ${pk("pnpm")})`);
    db.exec(`UPDATE memories SET embedding = NULL WHERE pk = ${pk("backups")}`);
    db.exec(`UPDATE memories SET embedding = X'00010203' WHERE pk = ${pk("on-call")}`);
    db.exec(`UPDATE memories SET embedder_id = 'old-model-v0' WHERE pk = ${pk("Deploy")}`);
  } finally {
    db.close();
  }
}

const levels = (fs: Finding[], check: string) =>
  fs.filter((f) => f.check === check).map((f) => f.level);

async function doctorCli(env: Record<string, string>, ...args: string[]) {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", ENTRY, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: o.code, out: new TextDecoder().decode(o.stdout) };
}

Deno.test("doctor: a healthy home is all ok", async () => {
  await using h = await setupHome();
  await seed(h.env);
  const r = await runDoctor({ env: h.env });
  assert.ok(r.ok, JSON.stringify(r.findings, null, 2));
  assert.deepEqual(
    [...new Set(r.findings.map((f) => f.check))],
    ["config", "keys", "database", "fts", "vectors", "embedder", "clients"],
  );
  assert.ok(r.findings.every((f) => f.level === "ok"));
});

Deno.test("doctor finds deliberate damage and --repair fixes it", async () => {
  await using h = await setupHome();
  const dbPath = await seed(h.env);
  await runSetup({ profile: "cursor", env: h.env, memoryossHome: h.mh, launch: h.launch });
  damage(dbPath);
  await Deno.chmod(join(h.mh, "memoryoss.key"), 0o644);
  await h.put(".cursor/mcp.json", '{\n  "mcpServers": {}\n}\n');

  const env = { HOME: h.home, MEMORYOSS_HOME: h.mh, DENO_DIR: denoDir() };
  const cli = await doctorCli(env);
  assert.equal(cli.code, 1, cli.out);
  assert.match(
    cli.out,
    /^\[error\] fts: FTS index out of step with the table: 4 indexed, 6 memories/m,
  );
  assert.match(
    cli.out,
    /^\[error\] vectors: 1 memory has no vector and 1 memory has an unreadable one/m,
  );
  assert.match(cli.out, /^\[warn\] embedder: 1 memory was embedded by old-model-v0/m);
  assert.match(cli.out, /^\[error\] keys: .*memoryoss\.key is readable by others \(mode 0644\)/m);
  assert.match(
    cli.out,
    /^\[error\] clients: cursor: .*mcp\.json: MCP server registration missing/m,
  );
  assert.match(cli.out, /^ +→ memoryoss doctor --repair/m);
  assert.match(
    cli.out,
    /^\[error\] clients: the clients run \/opt\/memoryoss\/bin\/memoryoss, which does not exist/m,
  );

  const fixed = await runDoctor({ env: h.env, repair: true });
  assert.ok(fixed.ok, JSON.stringify(fixed.findings, null, 2));
  assert.ok(fixed.findings.every((f) => f.level === "ok"), JSON.stringify(fixed.findings));
  assert.deepEqual(fixed.repairs.slice(0, 2), [
    "rebuilt the FTS index",
    "re-embedded 3 memories with " + fixed.findings.find((f) => f.check === "embedder")!
      .message.split(" ")[1],
  ]);
  assert.ok(
    fixed.repairs.includes(`pointed the clients at ${Deno.execPath()}`),
    String(fixed.repairs),
  );
  assert.equal((await Deno.stat(join(h.mh, "memoryoss.key"))).mode! & 0o777, 0o600);
  assert.ok(JSON.parse((await h.read(".cursor/mcp.json"))!).mcpServers.memoryoss);

  // The repaired rows are findable again by keyword and by vector.
  const rt = await openRuntime(await loadConfig({ env: h.env }));
  try {
    const bm25 = await recall(rt, { query: "invoices billing", mode: "bm25" });
    assert.match(bm25.memories[0]?.content ?? "", /billing/);
    const vec = await recall(rt, { query: "on-call rotation Monday", mode: "vector" });
    assert.match(vec.memories[0]?.content ?? "", /on-call/);
  } finally {
    rt.close();
  }
  const again = await doctorCli(env, "--json");
  assert.equal(again.code, 0);
  assert.equal(JSON.parse(again.out).ok, true);
});

Deno.test("doctor: a bad config is an error with a hint; no home is only a warning", async () => {
  await using h = await setupHome();
  const fresh = await runDoctor({ env: h.env });
  assert.ok(fresh.ok);
  assert.deepEqual(levels(fresh.findings, "home"), ["warn"]);
  await h.put(".memoryoss-test/memoryoss.toml", "[server]\nport = 'eighty'\n");
  const bad = await runDoctor({ env: h.env });
  assert.equal(bad.ok, false);
  const f = bad.findings.find((x) => x.check === "config")!;
  assert.match(f.message, /server\.port/);
  assert.match(f.hint!, /fix the key/);
});

function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}
