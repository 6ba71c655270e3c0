/** setup / uninstall / hook as commands: output, exit codes, help (subprocess, temp HOME). */
import assert from "node:assert/strict";
import { setupHome } from "./_support.ts";
import { skipIf } from "../_support/skip.ts";

const ENTRY = new URL("./_entry.ts", import.meta.url).pathname;

async function run(
  env: Record<string, string>,
  args: string[],
  stdin?: string,
): Promise<{ code: number; out: string; err: string; killed: boolean }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", ENTRY, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  // A watchdog, not a timing check: a hook that never returns would hang Claude Code's turn.
  let killed = false;
  const watchdog = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 60_000);
  const o = await child.output().finally(() => clearTimeout(watchdog));
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr), killed };
}

Deno.test("setup and uninstall commands: dry run, apply, json, errors", async () => {
  await using h = await setupHome();
  const env = { HOME: h.home, MEMORYOSS_HOME: h.mh, DENO_DIR: denoDir() };
  const dry = await run(env, ["setup", "--profile", "cursor", "--bin", "/opt/m", "--dry-run"]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^\+\+\+ b\/~\/\.cursor\/mcp\.json$/m);
  assert.match(
    dry.out,
    /^would be created ~\/\.cursor\/mcp\.json \(cursor: MCP server registration\)$/m,
  );
  assert.deepEqual(await h.snapshot(), {});

  const json = await run(env, ["setup", "--profile", "cursor", "--bin", "/opt/m", "--json"]);
  assert.equal(json.code, 0, json.err);
  const rep = JSON.parse(json.out);
  assert.deepEqual(rep.files.map((f: { action: string }) => f.action), ["created", "created"]);
  const again = await run(env, ["setup", "--profile", "cursor", "--bin", "/opt/m"]);
  assert.match(again.out, /already set up: nothing changed/);

  const bad = await run(env, ["setup"]);
  assert.equal(bad.code, 3);
  assert.match(
    bad.err,
    /^memoryoss: error: setup needs --profile claude\|codex\|cursor\|openclaw\|auto\|team-node/,
  );
  const unknown = await run(env, ["setup", "--profile", "vim"]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.err, /unknown profile 'vim'/);

  const un = await run(env, ["uninstall"]);
  assert.equal(un.code, 0, un.err);
  assert.match(un.out, /^deleted +~\/\.cursor\/mcp\.json/m);
  assert.deepEqual(await h.snapshot(), {});
  const none = await run(env, ["uninstall"]);
  assert.match(none.out, /nothing to uninstall/);
  const help = await run(env, ["setup", "--help"]);
  assert.match(help.out, /Usage:\n {2}memoryoss setup --profile/);
});

Deno.test("hook command: Claude JSON out, exit 0 on anything", async () => {
  await using h = await setupHome();
  const env = { HOME: h.home, MEMORYOSS_HOME: h.mh, DENO_DIR: denoDir() };
  const start = await run(
    env,
    ["hook", "session-start", "--client", "claude"],
    '{"source":"startup"}',
  );
  assert.equal(start.code, 0);
  const out = JSON.parse(start.out);
  assert.equal(out.hookSpecificOutput.hookEventName, "SessionStart");
  assert.match(out.hookSpecificOutput.additionalContext, /0 active memories/);
  for (
    const [args, stdin] of [
      [["hook", "no-such-event"], "{}"],
      [["hook", "stop", "--bogus"], "{}"],
      [["hook", "prompt-submit"], "not json"],
      [["hook"], undefined],
    ] as [string[], string | undefined][]
  ) {
    const r = await run(env, args, stdin);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
    assert.equal(r.err, "", "silent");
  }
  const cfgBroken = { ...env, MEMORYOSS_HOOK_BUDGET_MS: "50" };
  await h.put(".memoryoss-test/memoryoss.toml", "[server]\nport = 'x'\n");
  const broken = await run(cfgBroken, ["hook", "prompt-submit"], '{"prompt":"deploy rules?"}');
  assert.equal(broken.code, 0);
  assert.equal(broken.err, "");
});

Deno.test(
  skipIf(
    Deno.build.os === "windows" && "needs a FIFO (mkfifo), which Windows lacks",
    "hook command gives up silently within its time budget",
  ),
  async () => {
    await using h = await setupHome();
    // A transcript that is a FIFO with no writer: opening it blocks forever.
    const fifo = `${h.home}/transcript.jsonl`;
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.ok(mk.success);
    const env = {
      HOME: h.home,
      MEMORYOSS_HOME: h.mh,
      DENO_DIR: denoDir(),
      MEMORYOSS_HOOK_BUDGET_MS: "300",
    };
    const r = await run(env, ["hook", "stop"], JSON.stringify({ transcript_path: fifo }));
    assert.equal(r.code, 0);
    assert.equal(r.out, "");
    assert.equal(r.err, "");
    // Without the budget the read of the FIFO blocks forever and the watchdog kills it.
    assert.ok(!r.killed, "the hook gave up by itself");
  },
);

function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}
