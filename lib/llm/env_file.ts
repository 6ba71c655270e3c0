/**
 * memman's env file, `<home>/env` (KEY=VALUE, mode 0600): where `install` keeps provider keys
 * and model settings (memman: `~/.memman/env`). Read as a fallback behind the process
 * environment (memoryoss's rule: the environment wins), written merged and atomically.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { parseEnv } from "node:util";
import { MemoryossError } from "../errors/mod.ts";

/** The file's name inside the memoryoss home. */
export const ENV_FILE = "env";

/** `<home>/env`. */
export function envFilePath(home: string): string {
  return join(home, ENV_FILE);
}

/** The file's variables; a missing or unreadable file is empty. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseEnv(text))) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Variable lookup for settings: the process environment, then `<home>/env`.
 *
 * @example
 * ```ts
 * resolveLlmSettings(rt.config, "fast", homeEnv(rt.loaded.home));
 * ```
 */
export function homeEnv(home: string): (k: string) => string | undefined {
  let file: Record<string, string> | undefined;
  return (k) => {
    const v = Deno.env.get(k);
    if (v !== undefined && v !== "") return v;
    file ??= readEnvFile(envFilePath(home));
    return file[k];
  };
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(v: string): string {
  if (/[\r\n]/.test(v)) {
    throw new MemoryossError("INVALID_INPUT", "env file values must be one line");
  }
  if (/^[A-Za-z0-9_@%+=:,./-]*$/.test(v)) return v;
  // dotenv reads single quotes literally; double quotes expand \n, so only without backslashes.
  if (!v.includes("'")) return `'${v}'`;
  if (!v.includes('"') && !v.includes("\\")) return `"${v}"`;
  throw new MemoryossError("INVALID_INPUT", "an env file value cannot hold both ' and \" (or \\)");
}

/**
 * Set `values` in the env file (other lines kept, a key's old line replaced), written
 * atomically with mode 0600. Returns the keys written.
 */
export async function writeEnvFile(
  path: string,
  values: Record<string, string>,
): Promise<string[]> {
  const keys = Object.keys(values);
  for (const k of keys) {
    if (!KEY.test(k)) throw new MemoryossError("INVALID_INPUT", `not a variable name: '${k}'`);
  }
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const k of keys) {
    const line = `${k}=${quote(values[k])}`;
    const at = lines.findIndex((l) => l.replace(/^\s*export\s+/, "").split("=")[0].trim() === k);
    if (at >= 0) lines[at] = line;
    else lines.push(line);
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  await Deno.writeTextFile(tmp, lines.join("\n") + "\n", { mode: 0o600 });
  if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, path);
  return keys;
}
