/** Config text → validated {@link Config}: TOML, then memoryOSS spelling, then our schema. */
import { parse as parseToml } from "smol-toml";
import { MemoryossError } from "../errors/mod.ts";
import { type Config, ConfigSchema } from "./schema.ts";
import { type CompatNote, fromMemoryossSpelling } from "./compat.ts";

/**
 * Parse and validate TOML text. Errors name the key and the expected form.
 *
 * @example
 * ```ts
 * parseConfig('[server]\nport = 9000\n', "x.toml").server.port; // 9000
 * ```
 */
export function parseConfig(text: string, source: string): Config {
  return parseConfigNotes(text, source).config;
}

/**
 * {@link parseConfig}, plus what became of each memoryOSS-spelled key (`compat.ts`).
 *
 * @example
 * ```ts
 * parseConfigNotes('[tls]\nenabled = true\n', "x.toml").notes[0].kind; // "ignored"
 * ```
 */
export function parseConfigNotes(
  text: string,
  source: string,
): { config: Config; notes: CompatNote[] } {
  return checkConfig(parseTomlText(text, source), source);
}

/** TOML text to a plain object; a syntax error is one INVALID_CONFIG line. */
export function parseTomlText(text: string, source: string): Record<string, unknown> {
  try {
    return parseToml(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new MemoryossError("INVALID_CONFIG", `${source}: not valid TOML: ${msg}`);
  }
}

/** Validate an already parsed config object (also used for env/flag overrides). */
export function validateConfig(raw: unknown, source: string): Config {
  return checkConfig(raw, source).config;
}

/** memoryOSS spelling first, then our strict schema. */
export function checkConfig(raw: unknown, source: string): { config: Config; notes: CompatNote[] } {
  const compat = fromMemoryossSpelling(raw, source);
  const result = ConfigSchema.safeParse(compat.raw);
  if (result.success) return { config: result.data, notes: compat.notes };
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  let key = path.join(".");
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    key = [...path, issue.keys[0]].join(".");
    message = "unknown key";
  }
  throw new MemoryossError(
    "INVALID_CONFIG",
    `${source}: ${key || "(top level)"}: ${message}`,
    path,
  );
}
