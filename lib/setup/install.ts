/**
 * memman's `install`: connect an agent (`--target claude-code|openclaw`, through setup's
 * managed pieces) and keep the model settings and provider keys in `<home>/env` (mode 0600).
 * In a terminal a wizard asks for them (keys with masked input); `--no-wizard` or no terminal
 * takes memman's variables from the shell instead. Values already in the env file are kept
 * (memman: the file wins over the shell on reinstall). Keys are never printed.
 */
import { envFilePath, readEnvFile, writeEnvFile } from "../llm/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import type { EnvGet } from "../config/mod.ts";
import type { Launch } from "./clients.ts";
import { type Profile, runSetup, type SetupReport } from "./setup.ts";

/** memman's install targets and the setup profile each maps to. */
export const INSTALL_TARGETS: Record<string, Profile> = {
  "claude-code": "claude",
  "openclaw": "openclaw",
};

/** What the wizard offers (none: the local rules decide, no model). */
export const WIZARD_PROVIDERS = ["none", "openrouter", "anthropic", "openai"] as const;

/** memman's variables install takes from the shell when there is no wizard. */
export const INSTALL_KEYS = [
  "MEMMAN_LLM_PROVIDER",
  "MEMMAN_LLM_ENDPOINT",
  "MEMMAN_OPENROUTER_ENDPOINT",
  "MEMMAN_LLM_API_KEY",
  "MEMMAN_OPENROUTER_API_KEY",
  "MEMMAN_LLM_MODEL",
  "MEMMAN_LLM_MODEL_FAST",
  "MEMMAN_LLM_MODEL_SLOW_CANONICAL",
  "MEMMAN_LLM_MODEL_SLOW_METADATA",
  "MEMMAN_LLM_PROVIDER_ONLY",
  "MEMMAN_LLM_DATA_COLLECTION",
  "MEMMAN_LLM_ZDR",
] as const;

/** The wizard's terminal: one question at a time; `secret` answers are typed masked. */
export interface Prompter {
  ask(question: string, opts?: { secret?: boolean }): Promise<string>;
  say(line: string): void;
}

/** Options of {@link runInstall}. */
export interface InstallOptions {
  target: string;
  env: EnvGet;
  memoryossHome: string;
  config?: string;
  launch?: Launch;
  dryRun?: boolean;
  /** The wizard's terminal; null: no wizard (flags, the shell and defaults only). */
  prompter: Prompter | null;
}

/** `install --json`. */
export interface InstallReport {
  target: string;
  setup: SetupReport;
  env_file: {
    path: string;
    /** Keys written now (or, with dry_run, that would be). Never the values. */
    written: string[];
    /** Keys already in the file, left as they were. */
    kept: string[];
  };
  wizard: boolean;
}

const LOOPBACK = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

async function wizard(p: Prompter, have: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (have.MEMMAN_LLM_PROVIDER || have.MEMMAN_LLM_ENDPOINT) {
    p.say("model settings: kept from the env file");
    return out;
  }
  let provider = "";
  for (let i = 0; i < 3 && !provider; i++) {
    const a = (await p.ask(`LLM provider [${WIZARD_PROVIDERS.join("/")}] (none): `)).toLowerCase();
    if (a === "") provider = "none";
    else if ((WIZARD_PROVIDERS as readonly string[]).includes(a)) provider = a;
    else p.say(`choose one of ${WIZARD_PROVIDERS.join(", ")}`);
  }
  if (!provider) throw new MemoryossError("INVALID_INPUT", "no LLM provider chosen");
  if (provider === "none") return out;
  out.MEMMAN_LLM_PROVIDER = provider;
  let endpoint = "";
  if (provider === "openai") {
    endpoint = await p.ask("OpenAI-compatible endpoint (http://127.0.0.1:11434/v1): ") ||
      "http://127.0.0.1:11434/v1";
    out.MEMMAN_LLM_ENDPOINT = endpoint;
  }
  if (!have.MEMMAN_LLM_API_KEY) {
    const key = await p.ask(`API key for ${provider} (input hidden, Enter to skip): `, {
      secret: true,
    });
    if (key) out.MEMMAN_LLM_API_KEY = key;
    else if (!LOOPBACK.test(endpoint)) {
      p.say("no key stored: set MEMMAN_LLM_API_KEY before the model is used");
    }
  }
  const model = await p.ask("model (Enter: the provider's default): ");
  if (model) out.MEMMAN_LLM_MODEL = model;
  return out;
}

/**
 * Install for `target`: setup's pieces, then the env file.
 *
 * @example
 * ```ts
 * await runInstall({ target: "claude-code", env, memoryossHome, prompter: null });
 * ```
 */
export async function runInstall(o: InstallOptions): Promise<InstallReport> {
  const profile = INSTALL_TARGETS[o.target];
  if (!profile) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown --target '${o.target}' (choose ${Object.keys(INSTALL_TARGETS).join(", ")})`,
      ["target"],
    );
  }
  const path = envFilePath(o.memoryossHome);
  const have = readEnvFile(path);
  const values = o.prompter ? await wizard(o.prompter, have) : {};
  if (!o.prompter) {
    for (const k of INSTALL_KEYS) {
      const v = o.env(k)?.trim();
      if (v && !have[k]) values[k] = v;
    }
  }
  for (const k of Object.keys(values)) if (have[k]) delete values[k];
  const setup = await runSetup({
    profile,
    env: o.env,
    memoryossHome: o.memoryossHome,
    config: o.config,
    launch: o.launch,
    dryRun: o.dryRun,
  });
  const written = Object.keys(values);
  if (!o.dryRun && written.length) await writeEnvFile(path, values);
  return {
    target: o.target,
    setup,
    env_file: { path, written, kept: Object.keys(have) },
    wizard: o.prompter !== null,
  };
}
