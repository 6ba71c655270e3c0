/**
 * `install` (memman's `install --target claude-code|openclaw`) through main.ts with install's
 * narrowed permissions, in a throw-away HOME: the agent's files (Claude Code's hooks including
 * the ExitPlanMode PreToolUse hook; OpenClaw's skill), the env file (0600, keys never printed,
 * file values kept on reinstall), the masked wizard under a real pty (util-linux `script`),
 * and `uninstall`, which never deletes memories.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliWith, MAIN } from "../cli/_helpers.ts";
import { hasCommand, skipIf } from "../_support/skip.ts";

async function tempHome() {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-install-" });
  const mh = join(home, ".memoryoss");
  return {
    home,
    mh,
    env: { HOME: home, MEMORYOSS_HOME: mh },
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

Deno.test("install --target claude-code --no-wizard: hooks, ExitPlanMode, env file 0600", async () => {
  await using h = await tempHome();
  const env = {
    ...h.env,
    MEMMAN_LLM_PROVIDER: "openrouter",
    MEMMAN_LLM_API_KEY: "sk-or-never-printed",
    MEMMAN_LLM_MODEL_FAST: "anthropic/claude-haiku-4.5",
  };
  const r = await cliWith(
    h.mh,
    { env },
    "install",
    "--target",
    "claude-code",
    "--no-wizard",
    "--bin",
    "/opt/memoryoss",
    "--json",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /sk-or-never-printed/);
  const out = r.json();
  assert.equal(out.target, "claude-code");
  assert.deepEqual(out.setup.clients, ["claude"]);
  assert.deepEqual(out.env_file.written.sort(), [
    "MEMMAN_LLM_API_KEY",
    "MEMMAN_LLM_MODEL_FAST",
    "MEMMAN_LLM_PROVIDER",
  ]);

  const settings = JSON.parse(await Deno.readTextFile(join(h.home, ".claude", "settings.json")));
  const plan = settings.hooks.PreToolUse.find((g: { matcher?: string }) =>
    g.matcher === "ExitPlanMode"
  );
  assert.equal(
    plan.hooks[0].command,
    "/opt/memoryoss hook pre-plan-exit --client claude --home " + h.mh,
  );
  const mcp = JSON.parse(await Deno.readTextFile(join(h.home, ".claude.json")));
  assert.equal(mcp.mcpServers.memoryoss.command, "/opt/memoryoss");

  const file = join(h.mh, "env");
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
  const text = await Deno.readTextFile(file);
  assert.match(text, /^MEMMAN_LLM_PROVIDER=openrouter$/m);
  assert.match(text, /^MEMMAN_LLM_API_KEY=sk-or-never-printed$/m);

  // Reinstall with another shell value: the file's value stays (memman: the file wins).
  const again = await cliWith(
    h.mh,
    { env: { ...env, MEMMAN_LLM_PROVIDER: "anthropic" } },
    "install",
    "--no-wizard",
    "--bin",
    "/opt/memoryoss",
  );
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /kept in .*env: .*MEMMAN_LLM_PROVIDER/);
  assert.match(await Deno.readTextFile(file), /^MEMMAN_LLM_PROVIDER=openrouter$/m);
});

Deno.test("the ExitPlanMode hook: 'Store conclusions and decisions before executing.'", async () => {
  await using h = await tempHome();
  const r = await cliWith(
    h.mh,
    {
      env: h.env,
      stdin: JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "ExitPlanMode" }),
    },
    "hook",
    "pre-plan-exit",
    "--client",
    "claude",
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.hookSpecificOutput.hookEventName, "PreToolUse");
  assert.match(
    out.hookSpecificOutput.additionalContext,
    /Store conclusions and decisions before executing/,
  );
});

Deno.test("install --target openclaw writes the skill; uninstall removes it and keeps memories", async () => {
  await using h = await tempHome();
  const stored = await cliWith(h.mh, { env: h.env }, "store", "-n", "k", "We deploy on Fridays");
  assert.equal(stored.code, 0, stored.stderr);
  const r = await cliWith(
    h.mh,
    { env: h.env },
    "install",
    "--target",
    "openclaw",
    "--no-wizard",
    "--bin",
    "/opt/memoryoss",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /restart the OpenClaw gateway/);
  const skillPath = join(h.home, ".openclaw", "skills", "memoryoss", "SKILL.md");
  const skill = await Deno.readTextFile(skillPath);
  assert.match(skill, /^---\nname: memoryoss\n/);
  assert.match(skill, /`\/opt\/memoryoss recall --limit 5 --home \S+ "<focused query>"`/);
  assert.match(skill, /`\/opt\/memoryoss remember --home \S+ "<fact>"`/);

  const un = await cliWith(h.mh, { env: h.env }, "uninstall", "--json");
  assert.equal(un.code, 0, un.stderr);
  assert.equal(await Deno.stat(skillPath).then(() => true, () => false), false);
  const recall = await cliWith(h.mh, { env: h.env }, "recall", "-n", "k", "--json", "deploy");
  assert.equal(recall.json().memories[0].content, "We deploy on Fridays");
});

Deno.test("install: an unknown target is exit 3 and one line", async () => {
  await using h = await tempHome();
  const r = await cliWith(h.mh, { env: h.env }, "install", "--target", "vscode", "--no-wizard");
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /^memoryoss: error: unknown --target 'vscode' \(choose claude-code, openclaw\)\n$/,
  );
});

const hasScript = Deno.build.os === "linux" && await hasCommand("script", ["--version"]);

Deno.test(
  skipIf(
    !hasScript && "util-linux 'script' (a pty) is not available",
    "install wizard: masked key, answers in the env file",
  ),
  async () => {
    await using h = await tempHome();
    const cmd = [
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      MAIN,
      "install",
      "--bin",
      "/opt/memoryoss",
    ]
      .map((a) => `'${a}'`).join(" ");
    const child = new Deno.Command("script", {
      args: ["-qec", cmd, "/dev/null"],
      env: { ...h.env, NO_COLOR: "1", TERM: "dumb" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    const reader = child.stdout.getReader();
    let seen = "";
    const waitFor = async (re: RegExp) => {
      while (!re.test(seen)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the wizard ended before ${re}:\n${seen}`);
        seen += new TextDecoder().decode(value);
      }
    };
    const type = (s: string) => w.write(new TextEncoder().encode(s));
    await waitFor(/LLM provider \[none\/openrouter\/anthropic\/openai\] \(none\): $/);
    await type("openrouter\r");
    await waitFor(/API key for openrouter \(input hidden, Enter to skip\): $/);
    await type("sk-or-typed-secret\r");
    await waitFor(/model \(Enter: the provider's default\): $/);
    await type("\r");
    await w.close();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    const status = await child.status;
    assert.equal(status.code, 0, seen);
    assert.doesNotMatch(seen, /sk-or-typed-secret/, "the key is never echoed");
    assert.match(seen, /\*{18}/, "one * per typed character");
    const text = await Deno.readTextFile(join(h.mh, "env"));
    assert.match(text, /^MEMMAN_LLM_PROVIDER=openrouter$/m);
    assert.match(text, /^MEMMAN_LLM_API_KEY=sk-or-typed-secret$/m);
    assert.doesNotMatch(text, /MEMMAN_LLM_MODEL/);
  },
);
