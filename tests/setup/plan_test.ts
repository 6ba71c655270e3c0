import assert from "node:assert/strict";
import { parse as parseToml } from "smol-toml";
import {
  clientPaths,
  commandArgs,
  hookCommand,
  isOurHookGroup,
  type Piece,
  planPieces,
  type SetupSpec,
  shellQuote,
} from "../../lib/setup/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

const paths = clientPaths((k) => ({ HOME: "/h" } as Record<string, string>)[k]);
const spec = (over: Partial<SetupSpec> = {}): SetupSpec => ({
  clients: ["claude", "codex", "cursor"],
  launch: { command: "/opt/memoryoss", args: [] },
  ...over,
});

/** Apply every piece of one file to `text`. */
function fold(pieces: Piece[], file: string, text: string | null): string {
  return pieces.filter((p) => p.file === file).reduce<string | null>((t, p) => p.apply(t), text)!;
}

Deno.test("profiles plan the files each client reads", () => {
  const cases: { clients: SetupSpec["clients"]; files: string[] }[] = [
    { clients: ["claude"], files: ["/h/.claude.json", "/h/.claude/settings.json"] },
    { clients: ["codex"], files: ["/h/.codex/config.toml", "/h/AGENTS.md"] },
    { clients: ["cursor"], files: ["/h/.cursor/mcp.json", "/h/.cursor/rules/memoryoss.mdc"] },
  ];
  for (const c of cases) {
    const files = [...new Set(planPieces(spec({ clients: c.clients }), paths).map((p) => p.file))];
    assert.deepEqual(files, c.files, c.clients.join());
  }
  const env = (k: string) =>
    ({ HOME: "/h", CODEX_HOME: "/c", CLAUDE_CONFIG_DIR: "/cl" } as Record<string, string>)[k];
  const p = clientPaths(env);
  assert.deepEqual([p.codexConfig, p.claudeJson, p.claudeSettings], [
    "/c/config.toml",
    "/cl/.claude.json",
    "/cl/settings.json",
  ]);
});

Deno.test("claude: MCP entry and the six hooks, with home and namespace passed on", () => {
  const s = spec({ home: "/m h", namespace: "team" });
  const pieces = planPieces(s, paths);
  const reg = JSON.parse(fold(pieces, paths.claudeJson, null));
  assert.deepEqual(reg.mcpServers.memoryoss, {
    type: "stdio",
    command: "/opt/memoryoss",
    args: ["mcp-server", "--home", "/m h", "--namespace", "team"],
    env: {},
  });
  const settings = JSON.parse(fold(pieces, paths.claudeSettings, null));
  assert.deepEqual(Object.keys(settings.hooks).sort(), [
    "PreCompact",
    "PreToolUse",
    "SessionStart",
    "Stop",
    "UserPromptSubmit",
  ]);
  // memman's exit_plan.sh: a second PreToolUse group for ExitPlanMode.
  assert.deepEqual(settings.hooks.PreToolUse.map((g: { matcher: string }) => g.matcher), [
    "Task|Agent",
    "ExitPlanMode",
  ]);
  assert.equal(
    settings.hooks.PreToolUse[1].hooks[0].command,
    '/opt/memoryoss hook pre-plan-exit --client claude --home "/m h" --namespace team',
  );
  const pre = settings.hooks.PreToolUse[0];
  assert.equal(pre.matcher, "Task|Agent");
  assert.equal(
    pre.hooks[0].command,
    '/opt/memoryoss hook pre-task --client claude --home "/m h" --namespace team',
  );
  assert.equal(settings.hooks.Stop[0].hooks[0].timeout, 10);
});

Deno.test("hook groups are recognised by their command, whatever the binary path", () => {
  const g = (command: string) => ({ hooks: [{ type: "command", command }] });
  const cases: [unknown, string, boolean][] = [
    [g("/opt/memoryoss hook stop --client claude"), "stop", true],
    [g('"/a b/deno" run -A main.ts hook stop --client claude --home /x'), "stop", true],
    [g("/opt/memoryoss hook stop --client claude"), "session-start", false],
    [g("echo hook stop"), "stop", false],
    [{ hooks: "nope" }, "stop", false],
    [null, "stop", false],
  ];
  for (const [item, hook, want] of cases) {
    assert.equal(isOurHookGroup(item, hook), want, JSON.stringify(item));
  }
});

Deno.test("shell quoting and command args", () => {
  const cases: [string, string][] = [
    ["/usr/bin/memoryoss", "/usr/bin/memoryoss"],
    ["/a b/c", '"/a b/c"'],
    ['x"$y', '"x\\"\\$y"'],
    ["C:/Program Files/m.exe", '"C:/Program Files/m.exe"'],
  ];
  for (const [arg, want] of cases) assert.equal(shellQuote(arg), want);
  const src = spec({
    launch: { command: "deno", args: ["run", "-A", "/r/main.ts"] },
    config: "/c.toml",
  });
  assert.deepEqual(commandArgs(src, ["mcp-server"]), [
    "run",
    "-A",
    "/r/main.ts",
    "-c",
    "/c.toml",
    "mcp-server",
  ]);
  assert.equal(
    hookCommand(src, "stop"),
    "deno run -A /r/main.ts -c /c.toml hook stop --client claude",
  );
});

Deno.test("codex: a TOML table inside markers, refused when the user defines it", () => {
  const pieces = planPieces(spec({ clients: ["codex"] }), paths);
  const mine = 'model = "o3"\n\n[mcp_servers.other]\ncommand = "x"\n';
  const out = fold(pieces, paths.codexConfig, mine);
  assert.ok(out.startsWith(mine));
  const parsed = parseToml(out) as { model: string; mcp_servers: Record<string, unknown> };
  assert.equal(parsed.model, "o3");
  assert.deepEqual({ ...parsed.mcp_servers.memoryoss as object }, {
    command: "/opt/memoryoss",
    args: ["mcp-server"],
  });
  assert.equal(fold(pieces, paths.codexConfig, out), out, "idempotent");
  const codexPiece = pieces.find((p) => p.file === paths.codexConfig)!;
  assert.equal(codexPiece.remove(out), mine);
  assert.equal(codexPiece.mode, 0o600);
  assert.throws(
    () => codexPiece.apply('[mcp_servers.memoryoss]\ncommand = "mine"\n'),
    (e) => e instanceof MemoryossError && e.code === "CONFLICT",
  );
  assert.throws(() => codexPiece.apply("not = [toml"), /not valid TOML/);
  const agents = fold(pieces, paths.agentsMd, "# Mine\n");
  assert.match(agents, /^# Mine\n\n<!-- MEMORYOSS_POLICY_BEGIN -->\n## memoryoss/);
});

Deno.test("cursor: mcp.json entry and an always-on rule file", () => {
  const pieces = planPieces(spec({ clients: ["cursor"] }), paths);
  const mcp = JSON.parse(fold(pieces, paths.cursorMcp, '{"mcpServers": {"x": {"command": "y"}}}'));
  assert.deepEqual(Object.keys(mcp.mcpServers), ["x", "memoryoss"]);
  assert.equal(mcp.mcpServers.memoryoss.type, undefined);
  const rule = fold(pieces, paths.cursorRule, null);
  assert.match(rule, /^---\ndescription: .*\nglobs: "\*\*\/\*"\nalwaysApply: true\n---\n/);
  assert.match(rule, /<!-- MEMORYOSS_CURSOR_RULE_BEGIN -->[\s\S]*memoryoss_recall/);
  const rulePiece = pieces.find((p) => p.file === paths.cursorRule)!;
  assert.equal(rulePiece.remove(rule), "", "only our front matter left: empty");
});
