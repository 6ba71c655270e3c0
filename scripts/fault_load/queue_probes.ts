/**
 * Probes of several processes on one home: `drain` SIGKILLed while it applies the
 * `remember` queue (each fact applied exactly once in the end), and two MCP servers plus two
 * CLI store loops writing at once (everything stored, never "database is locked").
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  childEnv,
  cmd,
  cmdJson,
  MAIN,
  pool,
  type ProbeResult,
  sentence,
  sleep,
  spawnCmd,
  tempDir,
} from "./_proc.ts";

/** Sizes of the queue probes. */
export interface QueueSize {
  facts: number;
  drainKills: number;
  mcpStores: number;
  cliStores: number;
}

/** Queue items applied so far, read from the database (only to time the kills). */
function doneCount(db: DatabaseSync): number {
  try {
    return (db.prepare("SELECT count(*) AS n FROM remember_queue WHERE done_at IS NOT NULL")
      .get() as { n: number }).n;
  } catch {
    return 0; // locked for a moment by the drain: poll again
  }
}

/** Start a drain; SIGKILL it once `target` items are done. True when the kill landed mid-run. */
async function drainKilledAt(home: string, db: DatabaseSync, target: number): Promise<boolean> {
  const child = spawnCmd(home, ["drain", "--batch", "2"], { stdout: "null", stderr: "null" });
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  while (!exited && doneCount(db) < target) await sleep(2);
  if (!exited) {
    try {
      child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }
  return (await status).signal === "SIGKILL";
}

/** Every memory of a namespace as `list --json` shows it. */
// deno-lint-ignore no-explicit-any
async function listAll(home: string, namespace: string): Promise<any[]> {
  return (await cmdJson(home, ["list", "-n", namespace, "--json", "--limit", "10000"])).memories;
}

/**
 * (b) Queue `facts` with `remember`, SIGKILL `drain` at evenly spaced points, then run it to
 * the end: each fact must be one memory with evidence 1 (applied once, never twice).
 */
export async function drainKill(size: QueueSize): Promise<ProbeResult> {
  await using home = await tempDir("drain-kill");
  const facts = Array.from({ length: size.facts }, (_, i) => sentence("drain", i));
  let queueFailures = 0;
  await pool(facts.length, 4, async (i) => {
    const r = await cmd(home.path, ["remember", "-n", "dk", facts[i]]);
    if (r.code !== 0) queueFailures++;
  });
  let landed = 0;
  const db = new DatabaseSync(join(home.path, "memoryoss.db"), { readOnly: true });
  try {
    for (let k = 1; k <= size.drainKills; k++) {
      const target = Math.floor((k * size.facts) / (size.drainKills + 1));
      if (await drainKilledAt(home.path, db, target)) landed++;
    }
  } finally {
    db.close();
  }
  const final = await cmdJson(home.path, ["drain", "--json"]);
  const memories = await listAll(home.path, "dk");
  const seen = new Map<string, number>();
  let twice = 0;
  for (const m of memories) {
    seen.set(m.content, (seen.get(m.content) ?? 0) + 1);
    if (m.evidence_count !== 1 || m.archived) twice++;
  }
  const missing = facts.filter((f) => !seen.has(f)).length;
  twice += [...seen.values()].filter((n) => n > 1).length;
  const ok = queueFailures === 0 && missing === 0 && twice === 0 && landed >= 1 &&
    final.queue?.pending === 0 && memories.length === facts.length;
  return {
    ok,
    line:
      `drain-kill: ${facts.length} facts queued, ${landed} drain${
        landed === 1 ? "" : "s"
      } SIGKILLed mid-run, ` +
      `${memories.length} applied, ${missing} missing, ${twice} applied twice, ` +
      `${final.queue?.pending} left pending`,
  };
}

/** A connected MCP client on `mcp-server` over stdio, with the server's stderr collected. */
async function mcpClient(home: string): Promise<{ client: Client; stderr: () => string }> {
  const env: Record<string, string> = childEnv(home);
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", MAIN, "mcp-server"],
    env,
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Uint8Array) => err += new TextDecoder().decode(d));
  const client = new Client({ name: "memoryoss-fault-load", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => err };
}

/**
 * (c) Two `mcp-server` processes (real MCP JSON-RPC over stdio) and two CLI `store` loops on
 * one home at once: every write stored, no "database is locked" anywhere.
 */
export async function mcpAndCli(size: QueueSize): Promise<ProbeResult> {
  await using home = await tempDir("mcp-cli");
  await cmdJson(home.path, ["status", "--json"]); // the home exists before the writers race
  const texts: string[] = []; // errors and stderr of every writer
  const expected: string[] = [];
  const mcpWriter = async (w: number) => {
    const { client, stderr } = await mcpClient(home.path);
    try {
      for (let i = 0; i < size.mcpStores; i++) {
        const content = sentence(`mcp${w}`, i);
        expected.push(content);
        const r = await client.callTool({
          name: "memoryoss_store",
          arguments: { content, namespace: "mix" },
        });
        if (r.isError) texts.push((r.content as { text: string }[])[0]?.text ?? "error");
      }
    } finally {
      await client.close();
      texts.push(stderr());
    }
  };
  const cliWriter = async (w: number) => {
    for (let i = 0; i < size.cliStores; i++) {
      const content = sentence(`cli${w}`, i);
      expected.push(content);
      const r = await cmd(home.path, ["store", "-n", "mix", content]);
      if (r.code !== 0) texts.push(`exit ${r.code}`);
      texts.push(r.stderr);
    }
  };
  await Promise.all([mcpWriter(0), mcpWriter(1), cliWriter(0), cliWriter(1)]);
  const stored = new Set((await listAll(home.path, "mix")).map((m) => m.content));
  const got = expected.filter((c) => stored.has(c)).length;
  const locked = texts.filter((t) => /database is locked/i.test(t)).length;
  const errors = texts.filter((t) => t.trim() !== "").length;
  return {
    ok: got === expected.length && locked === 0 && errors === 0,
    line: `mcp+cli: 2 MCP servers + 2 CLI store loops on one home, ${got}/${expected.length} ` +
      `stored, ${locked} "database is locked", ${errors} errors`,
  };
}
