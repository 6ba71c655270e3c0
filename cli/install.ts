/**
 * CLI: install (memman's `install --target claude-code|openclaw`): setup's managed pieces for
 * the agent, plus model settings and provider keys in `<home>/env` (0600), asked by a wizard
 * in a terminal (keys masked) or taken from memman's variables with `--no-wizard`.
 */
import { resolveHome } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { INSTALL_TARGETS, type Prompter, runInstall } from "../lib/setup/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { printFiles } from "./setup.ts";

const spec: CommandSpec = {
  name: "install",
  summary: "connect Claude Code or OpenClaw and store model keys (memman's install)",
  usage: [
    "install [--target claude-code|openclaw] [--no-wizard] [--bin PATH] [--dry-run] [--json]",
  ],
  options: {
    target: {
      type: "string",
      value: "T",
      description: "claude-code (default: MCP server and hooks) | openclaw (a skill)",
    },
    "no-wizard": {
      type: "boolean",
      description: "ask nothing: take MEMMAN_LLM_* from the shell (headless installs)",
    },
    bin: { type: "string", value: "PATH", description: "command the agent runs (default: this)" },
    "dry-run": { type: "boolean", description: "print the diff, change nothing" },
    json: JSON_OPTION,
  },
  notes: [
    "In a terminal a wizard asks for the LLM provider (none/openrouter/anthropic/openai), its",
    "key (typed masked) and model; they go to <home>/env (mode 0600), which memoryoss reads",
    "behind the environment. Values already in that file are kept. Keys are never printed.",
    "'memoryoss uninstall' removes what install wrote to the agent; memories and the env",
    "file stay.",
  ],
  examples: [
    "memoryoss install --target claude-code",
    "MEMMAN_LLM_PROVIDER=openrouter MEMMAN_LLM_API_KEY=… memoryoss install --no-wizard --json",
  ],
};

const enc = new TextEncoder();
const dec = new TextDecoder();
const err = (s: string) => Deno.stderr.writeSync(enc.encode(s));

/** One line from the terminal; `secret` (stdin already raw) echoes `*` and restores it. */
async function readLine(secret: boolean): Promise<string> {
  const bytes: number[] = [];
  const one = new Uint8Array(1);
  try {
    while (true) {
      const n = await Deno.stdin.read(one);
      if (n === null) {
        if (bytes.length === 0 && !secret) throw new MemoryossError("INVALID_INPUT", "no answer");
        break;
      }
      const c = one[0];
      if (c === 13 || c === 10) break;
      if (c === 3 || c === 4) throw new MemoryossError("INVALID_INPUT", "install cancelled");
      if (c === 127 || c === 8) {
        if (bytes.length) {
          bytes.pop();
          if (secret) err("\b \b");
        }
        continue;
      }
      bytes.push(c);
      if (secret) err("*");
    }
  } finally {
    if (secret) {
      Deno.stdin.setRaw(false);
      err("\n");
    }
  }
  return dec.decode(new Uint8Array(bytes)).trim();
}

const terminal: Prompter = {
  ask: (q, o) => {
    const secret = o?.secret === true;
    // Echo goes off before the prompt shows: a key typed the moment it appears is never echoed.
    if (secret) Deno.stdin.setRaw(true);
    err(q);
    return readLine(secret);
  },
  say: (line) => err(`${line}\n`),
};

/** `memoryoss install`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "install takes no arguments");
  const v = p.values;
  const target = strValue(v.target) ?? "claude-code";
  if (!(target in INSTALL_TARGETS)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown --target '${target}' (choose ${Object.keys(INSTALL_TARGETS).join(", ")})`,
    );
  }
  const env = (k: string) => Deno.env.get(k);
  const bin = strValue(v.bin);
  const useWizard = v["no-wizard"] !== true && Deno.stdin.isTerminal();
  const r = await runInstall({
    target,
    env,
    memoryossHome: resolveHome(env),
    config: g.config,
    dryRun: v["dry-run"] === true,
    prompter: useWizard ? terminal : null,
    ...(bin ? { launch: { command: bin, args: [] } } : {}),
  });
  if (v.json) printJson(r);
  else {
    console.log(`memoryoss install: target ${r.target} (${r.setup.clients.join(", ")})`);
    printFiles(r.setup, r.setup.files);
    const e = r.env_file;
    if (e.written.length) {
      console.log(
        `${r.setup.dry_run ? "would write" : "wrote"} ${e.path} (0600): ${e.written.join(", ")}`,
      );
    }
    if (e.kept.length) console.log(`kept in ${e.path}: ${e.kept.join(", ")}`);
    if (!r.setup.dry_run) {
      console.log(
        target === "openclaw"
          ? "restart the OpenClaw gateway to load the skill"
          : "restart Claude Code to load memoryoss",
      );
    }
  }
  return r.setup.files.some((f) => f.action === "skipped") ? 1 : 0;
}
