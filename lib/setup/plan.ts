/**
 * Profile planning: which managed pieces each client gets. A piece knows its file, how to put
 * itself into that file's text and how to take itself out again; both are pure functions, so
 * plans are tested on strings and the I/O layer only reads, folds and writes.
 */
import { parse as parseToml } from "smol-toml";
import { MemoryossError } from "../errors/mod.ts";
import { type ClientId, type ClientPaths, type Launch, shellCommand } from "./clients.ts";
import { removeJson, removeJsonItems, setJson, upsertJsonItem } from "./json_edit.ts";
import { type Markers, removeBlock, upsertBlock } from "./markers.ts";
import { openclawPieces } from "./openclaw.ts";

/** What to set up. */
export interface SetupSpec {
  clients: ClientId[];
  launch: Launch;
  /** memoryoss home passed as `--home` (when MEMORYOSS_HOME was set at setup time). */
  home?: string;
  /** Config file passed as `-c`. */
  config?: string;
  /** Default namespace for the MCP server and hooks (team-node: the team's). */
  namespace?: string;
}

/** One managed piece of one file. */
export interface Piece {
  client: ClientId;
  file: string;
  kind: "json" | "text";
  /** Short label for reports, e.g. "MCP server registration". */
  what: string;
  /** Mode for a file setup creates (the Codex config holds paths: 0600). */
  mode?: number;
  apply(text: string | null): string;
  remove(text: string): string;
}

/** Claude Code hook events and the `memoryoss hook` event each runs. */
export const CLAUDE_HOOKS = [
  { event: "SessionStart", hook: "session-start" },
  { event: "UserPromptSubmit", hook: "prompt-submit" },
  { event: "Stop", hook: "stop" },
  { event: "PreCompact", hook: "pre-compact" },
  { event: "PreToolUse", hook: "pre-task", matcher: "Task|Agent" },
  { event: "PreToolUse", hook: "pre-plan-exit", matcher: "ExitPlanMode" },
] as const;

const MCP_NAME = "memoryoss";
export const POLICY_MARKERS: Markers = {
  begin: "<!-- MEMORYOSS_POLICY_BEGIN -->",
  end: "<!-- MEMORYOSS_POLICY_END -->",
};
export const CURSOR_MARKERS: Markers = {
  begin: "<!-- MEMORYOSS_CURSOR_RULE_BEGIN -->",
  end: "<!-- MEMORYOSS_CURSOR_RULE_END -->",
};
export const TOML_MARKERS: Markers = {
  begin: "# >>> memoryoss (managed by 'memoryoss setup'; 'memoryoss uninstall' removes it) >>>",
  end: "# <<< memoryoss <<<",
};
const CURSOR_FRONT = '---\ndescription: memoryoss persistent memory\nglobs: "**/*"\n' +
  "alwaysApply: true\n---\n\n";

/** The rules every client gets (AGENTS.md block, Cursor rule). */
export const POLICY = `## memoryoss — persistent memory

You have a persistent memory through the \`memoryoss\` MCP server.

1. Recall first: at the start of every task and before decisions, call \`memoryoss_recall\`
   with a focused keyword query, unless the topic is already in context.
2. Store before you stop: when the user states a preference, makes a decision, corrects you or
   asks you to remember something, call \`memoryoss_store\` in the same turn, one
   self-contained fact per call, never secrets.
3. Keep it true: prefer \`memoryoss_update\` over a conflicting copy; use
   \`memoryoss_feedback\` to confirm, reject or supersede what recall returned.
4. If the memoryoss tools are unavailable, say so once and suggest
   \`memoryoss doctor --repair\`.`;

/** Arguments for one memoryoss subcommand as a client runs it. */
export function commandArgs(spec: SetupSpec, sub: string[], extra: string[] = []): string[] {
  return [
    ...spec.launch.args,
    ...(spec.config ? ["-c", spec.config] : []),
    ...sub,
    ...extra,
    ...(spec.home ? ["--home", spec.home] : []),
    ...(spec.namespace ? ["--namespace", spec.namespace] : []),
  ];
}

/** The shell command a Claude hook runs for `hook`. */
export function hookCommand(spec: SetupSpec, hook: string): string {
  return shellCommand(spec.launch.command, commandArgs(spec, ["hook", hook, "--client", "claude"]));
}

/** True for a hook group that runs our `hook <name> --client claude` (any binary path). */
export function isOurHookGroup(item: unknown, hook: string): boolean {
  const hooks = (item as { hooks?: unknown })?.hooks;
  if (!Array.isArray(hooks)) return false;
  const re = new RegExp(`\\shook ${hook} --client claude(\\s|$)`);
  return hooks.some((h) => typeof h?.command === "string" && re.test(h.command));
}

/** The MCP server registration in a JSON config (`mcpServers`); Claude's entry names its type. */
function mcpJsonPiece(
  spec: SetupSpec,
  client: Piece["client"],
  file: string,
  withType: boolean,
): Piece {
  const entry = () => ({
    ...(withType ? { type: "stdio" } : {}),
    command: spec.launch.command,
    args: commandArgs(spec, ["mcp-server"]),
    env: {},
  });
  return {
    client,
    file,
    kind: "json",
    what: "MCP server registration",
    apply: (t) => setJson(t, ["mcpServers", MCP_NAME], entry()),
    remove: (t) => removeJson(t, ["mcpServers", MCP_NAME], 1),
  };
}

function tomlBlock(spec: SetupSpec): string {
  const q = (s: string) => JSON.stringify(s); // TOML basic strings accept JSON escapes
  return [
    `[mcp_servers.${MCP_NAME}]`,
    `command = ${q(spec.launch.command)}`,
    `args = [${commandArgs(spec, ["mcp-server"]).map(q).join(", ")}]`,
  ].join("\n");
}

/** Refuse to add our table when the user's own TOML already defines it (or is not TOML). */
function checkCodexToml(text: string | null): void {
  const own = removeBlock(text ?? "", TOML_MARKERS);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(own) as Record<string, unknown>;
  } catch (e) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `not valid TOML (${(e as Error).message.split("\n")[0]}); fix it first`,
    );
  }
  const servers = parsed.mcp_servers as Record<string, unknown> | undefined;
  if (servers && MCP_NAME in servers) {
    throw new MemoryossError(
      "CONFLICT",
      `[mcp_servers.${MCP_NAME}] is already defined outside the managed block; remove it ` +
        "and run setup again",
    );
  }
}

function claudePieces(spec: SetupSpec, p: ClientPaths): Piece[] {
  const pieces: Piece[] = [mcpJsonPiece(spec, "claude", p.claudeJson, true)];
  for (const h of CLAUDE_HOOKS) {
    const group = {
      ...("matcher" in h ? { matcher: h.matcher } : {}),
      hooks: [{ type: "command", command: hookCommand(spec, h.hook), timeout: 10 }],
    };
    const mine = (item: unknown) => isOurHookGroup(item, h.hook);
    pieces.push({
      client: "claude",
      file: p.claudeSettings,
      kind: "json",
      what: `${h.event} hook`,
      apply: (t) => upsertJsonItem(t, ["hooks", h.event], group, mine),
      remove: (t) => removeJsonItems(t, ["hooks", h.event], mine, 2),
    });
  }
  return pieces;
}

function codexPieces(spec: SetupSpec, p: ClientPaths): Piece[] {
  return [{
    client: "codex",
    file: p.codexConfig,
    kind: "text",
    what: "MCP server registration",
    mode: 0o600,
    apply: (t) => {
      checkCodexToml(t);
      return upsertBlock(t, TOML_MARKERS, tomlBlock(spec));
    },
    remove: (t) => removeBlock(t, TOML_MARKERS),
  }, {
    client: "codex",
    file: p.agentsMd,
    kind: "text",
    what: "memory policy block",
    apply: (t) => upsertBlock(t, POLICY_MARKERS, POLICY),
    remove: (t) => removeBlock(t, POLICY_MARKERS),
  }];
}

function cursorPieces(spec: SetupSpec, p: ClientPaths): Piece[] {
  return [mcpJsonPiece(spec, "cursor", p.cursorMcp, false), {
    client: "cursor",
    file: p.cursorRule,
    kind: "text",
    what: "always-on memory rule",
    apply: (t) => upsertBlock(t ?? CURSOR_FRONT, CURSOR_MARKERS, POLICY),
    remove: (t) => {
      const out = removeBlock(t, CURSOR_MARKERS);
      return out === CURSOR_FRONT || out === CURSOR_FRONT.trimEnd() + "\n" ? "" : out;
    },
  }];
}

/**
 * The pieces for `spec.clients`, in a stable order.
 *
 * @example
 * ```ts
 * planPieces({ clients: ["cursor"], launch: { command: "memoryoss", args: [] } }, paths)
 *   .map((p) => p.file); // [~/.cursor/mcp.json, ~/.cursor/rules/memoryoss.mdc]
 * ```
 */
export function planPieces(spec: SetupSpec, p: ClientPaths): Piece[] {
  const out: Piece[] = [];
  if (spec.clients.includes("claude")) out.push(...claudePieces(spec, p));
  if (spec.clients.includes("codex")) out.push(...codexPieces(spec, p));
  if (spec.clients.includes("cursor")) out.push(...cursorPieces(spec, p));
  if (spec.clients.includes("openclaw")) out.push(...openclawPieces(spec, p));
  return out;
}
