/**
 * Where each client keeps its configuration, which clients are installed, and the command
 * line a client runs to start memoryoss (the release binary, or `deno run … main.ts` from
 * source).
 */
import { basename, delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryossError, pathExists } from "../errors/mod.ts";
import type { EnvGet } from "../config/mod.ts";

/** The clients setup knows. */
export const CLIENTS = ["claude", "codex", "cursor", "openclaw"] as const;
export type ClientId = typeof CLIENTS[number];

/** Every file setup may touch. */
export interface ClientPaths {
  home: string;
  /** Claude Code: MCP servers live in `.claude.json`, hooks in `settings.json`. */
  claudeDir: string;
  claudeJson: string;
  claudeSettings: string;
  codexDir: string;
  codexConfig: string;
  agentsMd: string;
  cursorDir: string;
  cursorMcp: string;
  cursorRule: string;
  /** OpenClaw: the skill memoryoss installs (memman's `install --target openclaw`). */
  openclawDir: string;
  openclawSkill: string;
}

/**
 * Client paths under the user's home (`HOME`, or `USERPROFILE` on Windows); honours
 * `CLAUDE_CONFIG_DIR` and `CODEX_HOME`.
 *
 * @example
 * ```ts
 * clientPaths((k) => ({ HOME: "/home/a" } as Record<string, string>)[k]).cursorMcp;
 * // "/home/a/.cursor/mcp.json"
 * ```
 */
export function clientPaths(env: EnvGet): ClientPaths {
  const home = env("HOME") || env("USERPROFILE");
  if (!home) {
    throw new MemoryossError("INVALID_CONFIG", "cannot find your home folder: set HOME");
  }
  const claudeOverride = env("CLAUDE_CONFIG_DIR");
  const claudeDir = claudeOverride || join(home, ".claude");
  const codexDir = env("CODEX_HOME") || join(home, ".codex");
  const cursorDir = join(home, ".cursor");
  const openclawDir = join(home, ".openclaw");
  return {
    home,
    claudeDir,
    claudeJson: claudeOverride ? join(claudeOverride, ".claude.json") : join(home, ".claude.json"),
    claudeSettings: join(claudeDir, "settings.json"),
    codexDir,
    codexConfig: join(codexDir, "config.toml"),
    agentsMd: join(home, "AGENTS.md"),
    cursorDir,
    cursorMcp: join(cursorDir, "mcp.json"),
    cursorRule: join(cursorDir, "rules", "memoryoss.mdc"),
    openclawDir,
    openclawSkill: join(openclawDir, "skills", "memoryoss", "SKILL.md"),
  };
}

/** True when an executable named `name` is on PATH (no subprocess: just a stat per entry). */
async function onPath(name: string, env: EnvGet): Promise<boolean> {
  const names = Deno.build.os === "windows" ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of (env("PATH") ?? "").split(delimiter).filter(Boolean)) {
    for (const n of names) if (await pathExists(join(dir, n))) return true;
  }
  return false;
}

/**
 * The installed clients: a config folder or the client's command on PATH.
 *
 * @example
 * ```ts
 * await detectClients(clientPaths(env), env); // e.g. ["claude", "cursor"]
 * ```
 */
export async function detectClients(p: ClientPaths, env: EnvGet): Promise<ClientId[]> {
  const found: ClientId[] = [];
  if (
    await pathExists(p.claudeDir) || await pathExists(p.claudeJson) || await onPath("claude", env)
  ) {
    found.push("claude");
  }
  if (env("CODEX_HOME") || await pathExists(p.codexDir) || await onPath("codex", env)) {
    found.push("codex");
  }
  if (await pathExists(p.cursorDir) || await onPath("cursor", env)) found.push("cursor");
  if (await pathExists(p.openclawDir) || await onPath("openclaw", env)) found.push("openclaw");
  return found;
}

/** How a client starts memoryoss: a program and the arguments before the subcommand. */
export interface Launch {
  command: string;
  args: string[];
}

/**
 * The running binary, or (from source) `deno run -A --quiet <repo>/main.ts`; main.ts then
 * narrows permissions per subcommand, as the binary does.
 */
export function defaultLaunch(): Launch {
  const exe = Deno.execPath();
  if (!/^deno(\.exe)?$/i.test(basename(exe))) return { command: exe, args: [] };
  const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
  return { command: exe, args: ["run", "-A", "--quiet", main] };
}

/** Quote one argument for the POSIX shell Claude Code runs hook commands with. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** One shell command line. */
export function shellCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(" ");
}
