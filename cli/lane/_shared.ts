/** What every `lane` subcommand module shares: the Sub shape, option helpers, settings. */
import { MemoryossError } from "../../lib/errors/mod.ts";
import * as lane from "../../lib/lane/mod.ts";
import { type CommandSpec, type Parsed, strValue } from "../_args.ts";
import { printJson } from "../_io.ts";
import { type Subcommand, unknownSubcommand } from "../_subcommands.ts";

/**
 * One `lane` subcommand: its help, how many positionals it takes (at most), and what it does
 * (lane.ts hands the table to cli/_subcommands.ts).
 */
export type Sub = Omit<Subcommand, "run"> & { examples: string[]; run(p: Parsed): Promise<number> };

type Opt = CommandSpec["options"][string];
export const str = (description: string, value = "N", more: Partial<Opt> = {}): Opt => ({
  type: "string",
  value,
  description,
  ...more,
});
export const flag = (description: string): Opt => ({ type: "boolean", description });
export const ROOT = {
  "memory-root": str("memory folder (default $MEMORY_ROOT, else Claude's for the cwd)", "DIR"),
};
export const STATE = {
  "state-dir": str("lane state folder (default $MEMORYOSS_HOME/lane)", "DIR"),
};
export const JSON_ = { json: flag("print JSON") };
export const COUNT = { n: str("how many (default 20)", "N", { short: "n" }) };
export const SOCKET = {
  socket: str("control socket (default $STATUS_SOCK, else <state-dir>/ctl.sock)", "PATH"),
};

export const invalid = (msg: string) => new MemoryossError("INVALID_INPUT", msg);

/**
 * The action word of a subcommand (`lane janitor list`): one of `valid`, else the one
 * unknown-subcommand error (cli/_subcommands.ts) naming them.
 */
export function action<T extends string>(p: Parsed, sub: string, valid: readonly T[]): T {
  const name = p.positionals[0];
  if (name === undefined || !(valid as readonly string[]).includes(name)) {
    throw unknownSubcommand(`lane ${sub}`, name, [...valid]);
  }
  return name as T;
}

/** The first positional, or INVALID_INPUT naming what was expected. */
export function need(p: Parsed, what: string): string {
  if (!p.positionals[0]) throw invalid(`this command needs ${what}`);
  return p.positionals[0];
}

/** Print `value` as JSON with --json, else the text. */
export const out = (p: Parsed, value: unknown, text: () => string) => {
  if (p.values.json) printJson(value);
  else console.log(text());
};

/** A number flag ≥ 0, or INVALID_INPUT naming it. */
export function num(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n < 0) {
    throw invalid(`--${name} takes a number ≥ 0, got '${v}'`);
  }
  return n;
}

const env = (k: string) => Deno.env.get(k);

/**
 * The settings for a command: `extra` are the flags that stand for settings; `--memory-root`,
 * `--state-dir` and `--socket` are read here for every command that has them. The `.env`
 * variables are put into this process's environment (existing variables win), as cmmd does, so
 * the agent and authmux see them too.
 */
export async function settings(
  p: Parsed,
  extra: Partial<Record<lane.SettingKey, string>> = {},
): Promise<lane.LoadedSettings> {
  const flags: Partial<Record<lane.SettingKey, string>> = { ...extra };
  const roots = p.values["memory-root"];
  const list = Array.isArray(roots) ? roots : typeof roots === "string" ? [roots] : [];
  if (list.length) {
    flags.MEMORY_ROOT = list[0];
    flags.MEMORY_ROOTS = list.slice(1).join(Deno.build.os === "windows" ? ";" : ":");
  }
  const sock = strValue(p.values.socket);
  if (sock) flags.STATUS_SOCK = sock;
  const s = await lane.loadSettings({
    flags,
    env,
    cwd: Deno.cwd(),
    stateDir: strValue(p.values["state-dir"]),
  });
  for (const [k, v] of Object.entries(s.dotenv?.vars ?? {})) {
    if (Deno.env.get(k) === undefined) Deno.env.set(k, v);
  }
  return s;
}

/** The primary memory root, which must exist (exit 4 naming it otherwise). */
export async function memRoot(p: Parsed): Promise<string> {
  return await lane.requireMemoryRoot((await settings(p)).values.MEMORY_ROOT);
}
