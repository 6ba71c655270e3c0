/**
 * setup / uninstall per profile in a temp HOME: the expected files, idempotence, the user's
 * content outside the managed pieces, byte-exact restore, dry runs, detection.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import {
  type Profile,
  readManifest,
  runSetup,
  runUninstall,
  type SetupReport,
} from "../../lib/setup/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { setupHome } from "./_support.ts";
import { skipIf } from "../_support/skip.ts";

const actions = (r: SetupReport) => Object.fromEntries(r.files.map((f) => [f.path, f.action]));

/** The user's own files before setup, in styles setup must not disturb. */
const USER_FILES: Record<string, Record<string, string>> = {
  claude: {
    ".claude/settings.json":
      '{\n    "theme": "dark",\n    "hooks": {\n        "Stop": [\n            {"hooks": [{"type": "command", "command": "say done"}]}\n        ]\n    }\n}\n',
  },
  codex: {
    ".codex/config.toml": '# my codex\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "x"\n',
    "AGENTS.md": "# My rules\n\nBe brief.\n",
  },
  cursor: { ".cursor/mcp.json": '{"mcpServers":{"gh":{"command":"gh-mcp"}}}' },
};

/** What each profile must leave in its files. */
function expectInstalled(profile: string, files: Record<string, string>, mh: string): void {
  if (profile === "claude") {
    const reg = JSON.parse(files[".claude.json"]).mcpServers.memoryoss;
    assert.deepEqual(reg.args, ["mcp-server", "--home", mh]);
    const s = JSON.parse(files[".claude/settings.json"]);
    assert.equal(s.theme, "dark");
    assert.equal(s.hooks.Stop.length, 2, "the user's Stop hook and ours");
    assert.equal(s.hooks.Stop[0].hooks[0].command, "say done");
    for (const e of ["SessionStart", "UserPromptSubmit", "PreCompact", "PreToolUse"]) {
      assert.match(s.hooks[e][0].hooks[0].command, / hook [a-z-]+ --client claude --home /);
    }
  } else if (profile === "codex") {
    const t = parseToml(files[".codex/config.toml"]) as Record<string, Record<string, unknown>>;
    assert.equal(t.model as unknown, "o3");
    assert.deepEqual(Object.keys(t.mcp_servers), ["other", "memoryoss"]);
    assert.ok(files[".codex/config.toml"].startsWith(USER_FILES.codex[".codex/config.toml"]));
    assert.match(files["AGENTS.md"], /^# My rules\n\nBe brief\.\n\n<!-- MEMORYOSS_POLICY_BEGIN/);
  } else {
    const m = JSON.parse(files[".cursor/mcp.json"]).mcpServers;
    assert.deepEqual(Object.keys(m), ["gh", "memoryoss"]);
    assert.match(files[".cursor/rules/memoryoss.mdc"], /alwaysApply: true/);
  }
}

for (const profile of ["claude", "codex", "cursor"] as const) {
  Deno.test(`setup --profile ${profile}: writes, is idempotent, uninstall restores`, async () => {
    await using h = await setupHome();
    for (const [rel, text] of Object.entries(USER_FILES[profile])) await h.put(rel, text);
    const before = await h.snapshot();
    const opts = { profile: profile as Profile, env: h.env, memoryossHome: h.mh, launch: h.launch };

    const first = await runSetup(opts);
    assert.deepEqual(first.clients, [profile]);
    assert.ok(first.files.every((f) => f.action === "created" || f.action === "updated"));
    assert.ok(first.backup_dir, "the user's files were backed up");
    const installed = await h.snapshot();
    expectInstalled(profile, installed, h.mh);
    for (const [rel, text] of Object.entries(USER_FILES[profile])) {
      const saved = join(
        first.backup_dir!,
        join(h.home, rel).replace(/^\//, "").replaceAll("/", "__"),
      );
      assert.equal(await Deno.readTextFile(saved), text, `backup of ${rel}`);
    }

    const again = await runSetup(opts);
    assert.ok(again.files.every((f) => f.action === "unchanged"), JSON.stringify(actions(again)));
    assert.equal(again.backup_dir, null);
    assert.deepEqual(await h.snapshot(), installed, "second run changes nothing");

    const un = await runUninstall({ env: h.env, memoryossHome: h.mh });
    assert.ok(un.files.every((f) => f.action === "restored" || f.action === "deleted"));
    assert.deepEqual(await h.snapshot(), before, "originals back byte for byte");
    assert.equal(await readManifest(h.mh, h.home), null);
  });
}

Deno.test("user edits made after setup survive uninstall; only our pieces go", async () => {
  await using h = await setupHome();
  await h.put("AGENTS.md", "# Mine\n");
  const opts = { env: h.env, memoryossHome: h.mh, launch: h.launch };
  await runSetup({ ...opts, profile: "claude" });
  await runSetup({ ...opts, profile: "codex" });
  // The user (or Claude Code) edits the files afterwards.
  const s = JSON.parse((await h.read(".claude/settings.json"))!);
  s.model = "opus";
  s.hooks.Stop.unshift({ hooks: [{ type: "command", command: "notify" }] });
  await h.put(".claude/settings.json", JSON.stringify(s, null, 2));
  await h.put("AGENTS.md", (await h.read("AGENTS.md"))! + "\nAlso: test first.\n");

  const un = await runUninstall(opts);
  assert.deepEqual(
    Object.fromEntries(un.files.map((f) => [f.path.slice(h.home.length + 1), f.action])),
    {
      ".claude.json": "deleted",
      ".claude/settings.json": "updated",
      ".codex/config.toml": "deleted",
      "AGENTS.md": "updated",
    },
  );
  const left = JSON.parse((await h.read(".claude/settings.json"))!);
  assert.deepEqual(left, {
    hooks: { Stop: [{ hooks: [{ type: "command", command: "notify" }] }] },
    model: "opus",
  });
  const agents = (await h.read("AGENTS.md"))!;
  assert.match(agents, /^# Mine\n/);
  assert.match(agents, /Also: test first\./);
  assert.doesNotMatch(agents, /MEMORYOSS/);
});

Deno.test("--dry-run shows diffs and touches nothing", async () => {
  await using h = await setupHome();
  await h.put(".cursor/mcp.json", "{}\n");
  const before = await h.snapshot();
  const r = await runSetup({
    profile: "cursor",
    env: h.env,
    memoryossHome: h.mh,
    launch: h.launch,
    dryRun: true,
  });
  assert.equal(r.dry_run, true);
  assert.deepEqual(await h.snapshot(), before);
  assert.equal(await readManifest(h.mh, h.home), null);
  const mcp = r.files.find((f) => f.path.endsWith("mcp.json"))!;
  assert.equal(mcp.action, "updated");
  assert.match(mcp.diff!, /^--- a\/~\/\.cursor\/mcp\.json\n\+\+\+ b\/~\/\.cursor\/mcp\.json\n@@/);
  assert.match(mcp.diff!, /^\+ {4}"memoryoss": \{$/m);
  const rule = r.files.find((f) => f.path.endsWith(".mdc"))!;
  assert.match(rule.diff!, /^--- \/dev\/null\n/);
});

Deno.test("auto and team-node configure the detected clients", async () => {
  await using h = await setupHome();
  const base = { env: h.env, memoryossHome: h.mh, launch: h.launch };
  await assert.rejects(
    runSetup({ ...base, profile: "auto" }),
    (e) => e instanceof MemoryossError && e.code === "NOT_FOUND" && /--profile/.test(e.message),
  );
  await Deno.mkdir(join(h.home, ".cursor"));
  // A second home where codex is only a command on PATH.
  await using h2 = await setupHome();
  await Deno.mkdir(join(h2.home, ".cursor"));
  await h2.put("bin/codex", "");
  const env2 = (k: string) => (k === "PATH" ? join(h2.home, "bin") : h2.env(k));
  const auto = await runSetup({ ...base, env: env2, memoryossHome: h2.mh, profile: "auto" });
  assert.deepEqual(auto.clients, ["codex", "cursor"]);

  const team = await runSetup({ ...base, profile: "team-node", team: "platform" });
  assert.deepEqual(team.clients, ["cursor"]);
  const reg = JSON.parse((await h.read(".cursor/mcp.json"))!).mcpServers.memoryoss;
  assert.deepEqual(reg.args.slice(-2), ["--namespace", "platform"]);
  assert.equal((await readManifest(h.mh, h.home))?.namespace, "platform");
  await assert.rejects(runSetup({ ...base, profile: "team-node", team: "a b" }), /--team/);
  await assert.rejects(runSetup({ ...base, profile: "cursor", team: "x" }), /team-node/);
});

Deno.test("a file that cannot be edited safely is skipped, the rest still set up", async () => {
  await using h = await setupHome();
  await h.put(".codex/config.toml", '[mcp_servers.memoryoss]\ncommand = "hand-made"\n');
  await h.put(".claude/settings.json", "{ not json");
  const base = { env: h.env, memoryossHome: h.mh, launch: h.launch };
  const codex = await runSetup({ ...base, profile: "codex" });
  const toml = codex.files.find((f) => f.path.endsWith("config.toml"))!;
  assert.equal(toml.action, "skipped");
  assert.match(toml.reason!, /already defined outside the managed block/);
  assert.equal(codex.files.find((f) => f.path.endsWith("AGENTS.md"))!.action, "created");
  assert.equal(
    await h.read(".codex/config.toml"),
    '[mcp_servers.memoryoss]\ncommand = "hand-made"\n',
  );
  const claude = await runSetup({ ...base, profile: "claude" });
  assert.match(
    claude.files.find((f) => f.path.endsWith("settings.json"))!.reason!,
    /not valid JSON/,
  );
  assert.equal(await h.read(".claude/settings.json"), "{ not json");
});

Deno.test(
  skipIf(
    Deno.build.os === "windows" && "POSIX symlinks and file modes",
    "writes go through symlinks and keep the file's mode",
  ),
  async () => {
    await using h = await setupHome();
    await h.put("dotfiles/settings.json", "{}\n");
    await Deno.chmod(join(h.home, "dotfiles/settings.json"), 0o600);
    await Deno.mkdir(join(h.home, ".claude"));
    await Deno.symlink(
      join(h.home, "dotfiles/settings.json"),
      join(h.home, ".claude/settings.json"),
    );
    await runSetup({ profile: "claude", env: h.env, memoryossHome: h.mh, launch: h.launch });
    assert.ok((await Deno.lstat(join(h.home, ".claude/settings.json"))).isSymlink);
    const target = join(h.home, "dotfiles/settings.json");
    assert.match(await Deno.readTextFile(target), /hook session-start/);
    assert.equal((await Deno.stat(target)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(h.home, ".claude.json"))).isFile, true);
  },
);
