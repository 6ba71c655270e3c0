/** Where Claude Code keeps a project's memory, and where the lane keeps its own state. */
import { join } from "node:path";
import { type EnvGet, resolveHome } from "../config/mod.ts";

/**
 * Claude Code's folder name for a project: its absolute path with every character that is not
 * a letter or digit replaced by `-`.
 *
 * @example
 * ```ts
 * claudeProjectSlug("/home/me/my_app"); // "-home-me-my-app"
 * ```
 */
export function claudeProjectSlug(projectDir: string): string {
  return projectDir.replace(/[^A-Za-z0-9]/g, "-");
}

/** Claude Code's config folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
function claudeDir(env: EnvGet): string {
  return env("CLAUDE_CONFIG_DIR") ?? join(env("HOME") ?? env("USERPROFILE") ?? ".", ".claude");
}

/**
 * The default memory root for a project directory:
 * `$CLAUDE_CONFIG_DIR` (else `~/.claude`) `/projects/<slug>/memory`.
 *
 * @example
 * ```ts
 * defaultMemoryRoot((k) => (k === "HOME" ? "/home/me" : undefined), "/home/me/app");
 * // "/home/me/.claude/projects/-home-me-app/memory"
 * ```
 */
export function defaultMemoryRoot(env: EnvGet, projectDir: string): string {
  return join(claudeDir(env), "projects", claudeProjectSlug(projectDir), "memory");
}

/**
 * The lane's state folder (history, state file, control socket, transcripts, log):
 * `$MEMORYOSS_HOME/lane`, private to the user rather than world-readable `/tmp`.
 *
 * @example
 * ```ts
 * laneStateDir((k) => (k === "MEMORYOSS_HOME" ? "/m" : undefined)); // "/m/lane"
 * ```
 */
export function laneStateDir(env: EnvGet): string {
  return join(resolveHome(env), "lane");
}

/** File names inside the state folder. */
export const STATE_FILES = {
  state: "state.json",
  history: "history.jsonl",
  socket: "ctl.sock",
  /** Windows: loopback TCP port and token of the control endpoint. */
  endpoint: "ctl.json",
  lock: "tend.lock",
  log: "tend.log",
  transcripts: "transcripts",
} as const;

/**
 * The default control endpoint: a Unix socket, or on Windows the loopback TCP endpoint file.
 *
 * @example
 * ```ts
 * defaultControlPath("/m/lane", "linux"); // "/m/lane/ctl.sock"
 * ```
 */
export function defaultControlPath(stateDir: string, os: string = Deno.build.os): string {
  return join(stateDir, os === "windows" ? STATE_FILES.endpoint : STATE_FILES.socket);
}

/**
 * The user's Claude skills folder and its disabled sibling.
 *
 * @example
 * ```ts
 * skillDirs((k) => (k === "HOME" ? "/home/me" : undefined)).enabled; // "/home/me/.claude/skills"
 * ```
 */
export function skillDirs(env: EnvGet): { enabled: string; disabled: string } {
  const dir = claudeDir(env);
  return { enabled: join(dir, "skills"), disabled: join(dir, "skills-disabled") };
}
