/**
 * Every command's main path, run as shipped: `deno run -A main.ts <command> …`, where main.ts
 * narrows its own permissions to the command's row in cli/permissions.ts. A command whose row
 * misses a permission it needs either fails or (worse) quietly prints nothing; both are caught
 * here. A command without a row in ROWS fails the test, so a new command must add one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { COMMANDS } from "../cli/commands.ts";
import { PERMISSIONS } from "../cli/permissions.ts";
import { cli, type CliResult, cliWith, MAIN, storeJson } from "./cli/_helpers.ts";

/** What the rows can refer to: the seeded home and the artifacts made before the rows run. */
interface Ctx {
  home: string;
  /** A writable scratch folder (outputs, a fake $HOME). */
  tmp: string;
  /** Env for every run: MEMORYOSS_HOME plus a throw-away HOME and Claude folder. */
  env: Record<string, string>;
  /** A memory in namespace `t` ("The deploy key lives in the vault"). */
  id: string;
  /** A memory in namespace `t2` that the `forget` row deletes. */
  forgetId: string;
  /** A memory in namespace `t3` that the `update` row changes. */
  updateId: string;
  passport: string;
  backup: string;
  jsonl: string;
  laneRoot: string;
}

/** One run: the argv (or a custom runner), the exit code it must give, what stdout must hold. */
interface Row {
  args?: (c: Ctx) => string[];
  run?: (c: Ctx) => Promise<CliResult>;
  code?: number;
  /** Stdout must match (default: non-empty). `null`: the command prints nothing. */
  out?: RegExp | null;
  /** A file (or folder) the command writes instead of printing; it must not be empty. */
  wrote?: (c: Ctx) => string;
  stdin?: string;
}

const ROWS: Record<string, Row[]> = {
  serve: [{ run: serveHealth, out: /"status":\s*"ok"/ }],
  // memoryOSS's dev mode: no key needed (admin in "default").
  dev: [{ run: (c) => serveAndFetch(c, "dev", "/v1/namespaces"), out: /"default_namespace"/ }],
  "mcp-server": [{ run: mcpInitialize, out: /"serverInfo"/ }],
  remember: [{ args: () => ["remember", "-n", "r", "Standups start at nine"] }],
  drain: [{ args: () => ["drain", "--once", "--json"] }],
  scheduler: [
    { args: () => ["scheduler", "status", "--json"], out: /"state": "started"/ },
    // The drain row may hold the lock at the same moment: busy is a run that worked too.
    { args: () => ["scheduler", "drain", "--pending", "--json"], out: /"lock": "(acquired|busy)"/ },
    { args: () => ["scheduler", "queue", "--json"], out: /"items"/ },
    { args: () => ["scheduler", "interval", "--json"], out: /"installed"/ },
  ],
  worker: [{ args: () => ["worker", "install", "--print"] }],
  review: [{ args: () => ["review", "queue", "-n", "t", "--json"] }],
  decay: [{ args: () => ["decay", "--dry-run", "--json"] }],
  gc: [{ args: () => ["gc", "--dry-run", "--json"] }],
  store: [{
    args: () => ["store", "--json", "-n", "s", "Builds run on the ci runner"],
    out: /"id"/,
  }],
  import: [{ args: (c) => ["import", "-n", "imp", "--file", c.jsonl] }],
  recall: [{ args: () => ["recall", "-n", "t", "where is the deploy key"], out: /deploy key/ }],
  update: [{ args: (c) => ["update", c.updateId, "-n", "t3", "--tags", "ops", "--json"] }],
  replace: [{ run: replaceOwnMemory, out: /"outcome": "replaced"/ }],
  insights: [{ args: (c) => ["insights", "protect", c.id, "-n", "t", "--json"], out: /"pinned"/ }],
  hud: [{ args: () => ["hud", "-n", "t", "--json"], out: /"lifecycle"/ }],
  recent: [{ args: () => ["recent", "-n", "t", "--json"], out: /"events"/ }],
  connector: [
    { args: () => ["connector", "list", "--json"], out: /"ingest_path"/ },
    {
      args: () => ["connector", "ingest", "ticket", "Checkout fails for EU cards", "-n", "t"],
      out: /queued for review/,
    },
  ],
  inspect: [{ args: (c) => ["inspect", c.id, "-n", "t", "--json"], out: /deploy key/ }],
  list: [{ args: () => ["list", "-n", "t", "--json"], out: /deploy key/ }],
  forget: [{ args: (c) => ["forget", "-n", "t2", "--ids", c.forgetId] }],
  graph: [{ args: (c) => ["graph", "show", c.id, "-n", "t", "--json"] }],
  export: [{ args: () => ["export", "-n", "t"], out: /deploy key/ }],
  passport: [{
    args: (c) => ["passport", "export", "-n", "t", "-o", join(c.tmp, "p2.json")],
    out: null,
    wrote: (c) => join(c.tmp, "p2.json"),
  }],
  history: [{ args: (c) => ["history", "show", c.id, "-n", "t", "--json"] }],
  bundle: [{ args: (c) => ["bundle", "preview", c.passport, "--json"] }],
  reader: [{ args: (c) => ["reader", "open", c.passport, "--format", "text"] }],
  trust: [{ args: () => ["trust", "list", "--json"] }],
  conformance: [{ args: (c) => ["conformance", "verify", c.passport, "--json"] }],
  adapter: [{
    args: (c) => [
      "adapter",
      "export",
      "--kind",
      "claude_memory",
      "-n",
      "t",
      "-o",
      join(c.tmp, "adapter-out"),
    ],
    out: null,
    wrote: (c) => join(c.tmp, "adapter-out"),
  }],
  migrate: [{ args: () => ["migrate", "--dry-run", "--json"] }],
  backup: [{ args: (c) => ["backup", "-o", join(c.tmp, "b2.tar.gz"), "--json"] }],
  encryption: [{ args: () => ["encryption", "status", "--json"] }],
  restore: [{ args: (c) => ["restore", c.backup, "--check", "--json"] }],
  status: [{ args: () => ["status", "--json"], out: /"t"/ }],
  embed: [
    { args: () => ["embed", "reembed", "-n", "t"] },
    {
      args: () => ["embed", "swap", "--provider", "builtin", "--dry-run", "--json"],
      out: /"state": "planned"/,
    },
    { args: () => ["embed", "status", "--json"], out: /"embedder_id"/ },
  ],
  setup: [{ args: () => ["setup", "--profile", "claude", "--dry-run", "--json"] }],
  install: [{
    args: () => ["install", "--target", "openclaw", "--no-wizard", "--dry-run", "--json"],
    out: /"target": "openclaw"/,
  }],
  uninstall: [{ args: () => ["uninstall", "--dry-run", "--json"] }],
  doctor: [{ args: () => ["doctor", "--json"] }],
  hook: [{
    args: () => ["hook", "session-start", "--client", "claude", "-n", "t"],
    stdin: JSON.stringify({ hook_event_name: "SessionStart", session_id: "s1", cwd: "/" }),
  }],
  keys: [{ args: () => ["keys", "list", "--json"] }],
  lane: [
    {
      args: (c) => ["lane", "audit", "--memory-root", c.laneRoot, "--json"],
      code: 1,
      out: /"missing_from_index": \[\s*"a\.md"/,
    },
    { args: () => ["lane", "janitor", "list", "--min-age-hours", "0", "--allow-tty"] },
    { args: () => ["lane", "accounts", "--json"], out: /"claude_account_dirs"/ },
    { args: () => ["lane", "service", "install", "--print"], out: /lane tend/ },
    { args: () => ["lane", "logs", "-n", "5"], out: null },
    { args: () => ["lane", "pressure", "--json"], out: /"used_pct"/ },
    { args: () => ["lane", "orphan-node", "list", "--json"], out: /^\[/ },
  ],
  relief: [{ args: () => ["relief", "--snap", "--compact"], out: /"schema_version"/ }],
  config: [
    { args: () => ["config", "show"], out: /database/ },
    { args: () => ["config", "get", "server.port"], out: /^8000$/m },
  ],
};

Deno.test("permissions (narrowed): every command has a row, and every row is a command", () => {
  const commands = Object.keys(COMMANDS);
  const missing = commands.filter((c) => !ROWS[c]?.length);
  assert.deepEqual(missing, [], "add a row to ROWS in tests/permissions_narrowed_test.ts");
  assert.deepEqual(Object.keys(ROWS).filter((c) => !commands.includes(c)), []);
  for (const c of commands) assert.ok(PERMISSIONS[c], `cli/permissions.ts has no entry for ${c}`);
});

Deno.test("permissions (narrowed): each command's main path works through main.ts", async () => {
  const c = await seed();
  try {
    const jobs = Object.entries(ROWS).flatMap(([name, rows]) =>
      rows.map((row, i) => ({ label: `${name}#${i + 1}`, row }))
    );
    const failures: string[] = [];
    // Small batches: two cores, and each run is a Deno start-up.
    for (let at = 0; at < jobs.length; at += 4) {
      await Promise.all(
        jobs.slice(at, at + 4).map(async ({ label, row }) => {
          const r = row.run ? await row.run(c) : await cliWith(
            c.home,
            { env: c.env, stdin: row.stdin, cwd: c.tmp },
            ...row.args!(c),
          );
          const problem = judge(row, r) ?? (row.wrote ? await empty(row.wrote(c)) : null);
          if (problem) failures.push(`${label}: ${problem}\n${indent(r)}`);
        }),
      );
    }
    assert.deepEqual(failures, []);
  } finally {
    await Deno.remove(c.tmp, { recursive: true }).catch(() => {});
  }
});

/** Why a run is wrong, or null. */
function judge(row: Row, r: CliResult): string | null {
  const want = row.code ?? 0;
  if (r.code !== want) return `exit ${r.code}, want ${want}`;
  if (/NotCapable|Requires \S+ access/.test(r.stderr)) return "a permission was refused";
  if (/^\s+at /m.test(r.stderr) || /internal error/.test(r.stderr)) return "a crash";
  if (row.out === null) return null;
  if (row.out === undefined) return r.stdout.trim() ? null : "printed nothing";
  return row.out.test(r.stdout) ? null : `stdout does not match ${row.out}`;
}

/** Why the written file or folder is missing or empty, or null. */
async function empty(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (info.isFile) return info.size > 0 ? null : `${path} is empty`;
    for await (const _ of Deno.readDir(path)) return null;
    return `${path} is an empty folder`;
  } catch {
    return `${path} was not written`;
  }
}

function indent(r: CliResult): string {
  const cut = (s: string) => s.length > 600 ? `${s.slice(0, 600)}…` : s;
  return `  stdout: ${cut(r.stdout)}\n  stderr: ${cut(r.stderr)}`;
}

/** A home with three memories, a passport, a backup, a JSONL file and a Claude memory folder. */
async function seed(): Promise<Ctx> {
  const tmp = await Deno.makeTempDir({ prefix: "memoryoss-narrowed-" });
  const home = join(tmp, "home");
  const fakeHome = join(tmp, "user");
  await Deno.mkdir(fakeHome);
  const env = {
    MEMORYOSS_HOME: home,
    HOME: fakeHome,
    CLAUDE_CONFIG_DIR: join(fakeHome, ".claude"),
    XDG_CONFIG_HOME: join(fakeHome, ".config"),
  };
  const id = (await storeJson(home, "-n", "t", "The deploy key lives in the vault")).id;
  const forgetId = (await storeJson(home, "-n", "t2", "A note to forget")).id;
  const updateId = (await storeJson(home, "-n", "t3", "Release trains leave on Tuesdays")).id;
  const passport = join(tmp, "passport.json");
  const backup = join(tmp, "backup.tar.gz");
  for (
    const args of [["passport", "export", "-n", "t", "-o", passport], ["backup", "-o", backup]]
  ) {
    const r = await cli(home, ...args);
    assert.equal(r.code, 0, `seeding with ${args.join(" ")}: ${r.stderr}`);
  }
  const jsonl = join(tmp, "in.jsonl");
  await Deno.writeTextFile(jsonl, JSON.stringify({ content: "Imported fact one" }) + "\n");
  // A Claude memory folder with one finding: a.md is not in MEMORY.md.
  const laneRoot = join(tmp, "memory");
  await Deno.mkdir(laneRoot);
  await Deno.writeTextFile(
    join(laneRoot, "a.md"),
    "---\nname: a\ndescription: The a fact.\nmetadata:\n  type: user\n---\n\nThe a fact.\n",
  );
  await Deno.writeTextFile(join(laneRoot, "MEMORY.md"), "");
  return { home, tmp, env, id, forgetId, updateId, passport, backup, jsonl, laneRoot };
}

/** `replace` on a memory of its own (namespace `rep`), so no other row sees it change. */
async function replaceOwnMemory(c: Ctx): Promise<CliResult> {
  const own = await cliWith(
    c.home,
    { env: c.env },
    "store",
    "--json",
    "-n",
    "rep",
    "Lunch at noon",
  );
  if (own.code !== 0) return own;
  const id = own.json().id as string;
  return await cliWith(c.home, { env: c.env }, "replace", id, "--json", "Lunch at one");
}

/** `serve --port 0`, GET /health once it listens, then SIGTERM. */
function serveHealth(c: Ctx): Promise<CliResult> {
  return serveAndFetch(c, "serve", "/health");
}

/** Start `cmd --port 0` (serve or dev), GET `path` without a key, stop it. */
async function serveAndFetch(c: Ctx, cmd: string, path: string): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, cmd, "--port", "0"],
    env: { ...c.env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let stdout = "";
  let body = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += value;
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) {
        body = await (await fetch(`${url}${path}`)).text();
        break;
      }
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* it exited on its own: its output says why */ }
  }
  const rest = await readAll(reader);
  const { code } = await child.status;
  return result(code, body || stdout + rest, await stderr);
}

/** `mcp-server`: one JSON-RPC initialize on stdin, the first reply line, then stdin closes. */
async function mcpInitialize(c: Ctx): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "mcp-server"],
    env: { ...c.env, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const init = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "narrowed-test", version: "1" },
    },
  };
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(init) + "\n"));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  while (!stdout.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += value;
  }
  await w.close(); // end of input ends the server
  stdout += await readAll(reader);
  const { code } = await child.status;
  return result(code, stdout, await stderr);
}

async function readAll(reader: ReadableStreamDefaultReader<string>): Promise<string> {
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += value;
  }
}

function result(code: number, stdout: string, stderr: string): CliResult {
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

Deno.test("permissions (narrowed): a refused permission is one 'permission denied' line, exit 5", async () => {
  // Started with less than the command's set (an outdated -P set, a hand-written flag list).
  const run = async (flags: string[], ...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", ...flags, MAIN, ...args],
      env: { MEMORYOSS_HOME: "/nonexistent/memoryoss-home" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  const config = await run(["--allow-read"], "config", "show");
  assert.equal(config.code, 5, config.stderr);
  assert.equal(
    config.stderr,
    'memoryoss: error: permission denied: memoryoss config does not hold env access to "MEMORYOSS_HOME"' +
      " (see the permission table in the README)\n",
  );
  const json = await run(["--allow-read"], "config", "show", "--json");
  assert.equal(json.code, 5);
  assert.equal(JSON.parse(json.stderr).error.code, "FORBIDDEN");
});
