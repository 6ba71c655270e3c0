/**
 * Shared plumbing of the portability commands (passport, history, bundle, reader,
 * conformance, adapter, backup): their subcommand groups (run by cli/_subcommands.ts), file
 * input/output, and finding the trust fabric without needing more permissions than the
 * command holds.
 */
import { loadConfig, resolveHome } from "../lib/config/mod.ts";
import type { Embedder } from "../lib/embed/mod.ts";
import { openRuntime, type Runtime } from "../lib/memory/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  emptyFabric,
  homeTrust,
  type JsonValue,
  openArtifact,
  parseJson,
  PASSPORT_SCOPES,
  type PassportScope,
  prettyJson,
  type ReaderTrust,
  readTrustFabric,
} from "../lib/portable/mod.ts";
import { type CommandSpec, type Parsed, strValue } from "./_args.ts";
import type { Globals } from "./_io.ts";
import { runSubcommands, type Subcommand } from "./_subcommands.ts";

type Opt = CommandSpec["options"][string];

/** One subcommand: help, exact positional count and what it does (cli/_subcommands.ts). */
export type Sub = Subcommand & { positionals: number };

export const flag = (description: string): Opt => ({ type: "boolean", description });
export const str = (description: string, value: string, short?: string): Opt => ({
  type: "string",
  value,
  description,
  ...(short ? { short } : {}),
});
export const NS = {
  namespace: str("namespace (default: $MEMORYOSS_NAMESPACE, else the current store's)", "NS", "n"),
};
export const JSON_OUT = { json: flag("print JSON") };
export const OUTPUT = { output: str("write here instead of stdout", "FILE", "o") };
export const invalid = (msg: string) => new MemoryossError("INVALID_INPUT", msg);

/**
 * Runs `memoryoss <group> <sub> …` through cli/_subcommands.ts: group help, `help SUB`,
 * unknown-subcommand errors, per-sub help, exact positional counts.
 *
 * @example
 * ```ts
 * return await runGroup("passport", "export and import passports", SUBS, args, g);
 * ```
 */
export async function runGroup(
  group: string,
  summary: string,
  subs: Record<string, Sub>,
  args: string[],
  g: Globals,
): Promise<number> {
  return await runSubcommands({ name: group, summary, subs }, args, g);
}

function ioError(e: unknown, path: string, verb: string): MemoryossError {
  if (e instanceof MemoryossError) return e;
  if (e instanceof Deno.errors.NotFound) {
    return new MemoryossError("NOT_FOUND", `no such file: ${path}`);
  }
  if (e instanceof Deno.errors.IsADirectory) return invalid(`${path} is a folder, not a file`);
  if (e instanceof Deno.errors.NotCapable) {
    return new MemoryossError("FORBIDDEN", `cannot ${verb} ${path}: permission denied`);
  }
  return new MemoryossError("IO", `cannot ${verb} ${path}: ${(e as Error).message.split(":")[0]}`);
}

/** The bytes of a file, with one-line errors. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    throw ioError(e, path, "read");
  }
}

/** A file parsed as a lossless JSON tree; INVALID_INPUT names the file and position. */
export async function readArtifact(path: string): Promise<JsonValue> {
  const bytes = await readInput(path);
  try {
    return parseJson(bytes);
  } catch (e) {
    throw invalid(`${path}: ${(e as Error).message}`);
  }
}

/** Writes text to `path`, or to stdout when `path` is undefined or "-". */
export async function writeOutput(path: string | undefined, text: string): Promise<void> {
  if (path === undefined || path === "-") {
    await Deno.stdout.write(new TextEncoder().encode(text));
    return;
  }
  try {
    await Deno.writeTextFile(path, text);
  } catch (e) {
    throw ioError(e, path, "write");
  }
}

/** An artifact as memoryoss writes it: two-space pretty JSON and one newline. */
export const artifactText = (tree: JsonValue) => prettyJson(tree) + "\n";

/** True when the command holds `name` (checked without prompting). */
export function holds(name: "env" | "write" | "net"): boolean {
  try {
    return Deno.permissions.querySync({ name }).state === "granted";
  } catch {
    return false;
  }
}

/** The home folder when this command may read the environment, else null. */
export function homeIfAllowed(): string | null {
  if (!holds("env")) return null;
  try {
    return resolveHome((k) => Deno.env.get(k));
  } catch {
    return null;
  }
}

/**
 * The trust for reader/bundle checks: `--trust FILE` alone, else the home's `trust.json` and own
 * key when the environment is readable, else nothing (signatures are still checked against the
 * key they carry, but no key is trusted).
 */
export async function trustFor(p: Parsed): Promise<ReaderTrust> {
  const explicit = strValue(p.values.trust);
  const secret = holds("env") ? Deno.env.get("MEMORYOSS_AUDIT_HMAC_SECRET") : undefined;
  const keys = secret ? { hmacSecret: secret } : {};
  if (explicit) {
    try {
      await Deno.stat(explicit);
    } catch (e) {
      throw ioError(e, explicit, "read");
    }
    return { fabric: await readTrustFabric(explicit), keys };
  }
  const home = homeIfAllowed();
  if (!home) return { fabric: emptyFabric(), keys };
  try {
    return await homeTrust(home, secret);
  } catch (e) {
    // a home this command may not read (e.g. read permission for one file) trusts nothing
    const unreadable = e instanceof Deno.errors.NotCapable ||
      (e instanceof MemoryossError && e.code === "IO");
    if (unreadable) return { fabric: emptyFabric(), keys };
    throw e;
  }
}

/** The artifact in `file`, read and checked against the trust {@link trustFor} finds. */
export async function openFile(file: string, p: Parsed): ReturnType<typeof openArtifact> {
  return await openArtifact(file, await readInput(file), await trustFor(p));
}

/** `--trust FILE`. */
export const TRUST_OPT = {
  trust: str("trust catalog (default: trust.json in the memoryoss home, when readable)", "FILE"),
};

/** Stands in for the embedder where a command only reads records: no model, no network. */
const NO_EMBEDDER: Embedder = {
  id: "none:read-only-command",
  dim: 1,
  embed(): Promise<Float32Array[]> {
    throw new MemoryossError("INTERNAL", "this command reads memories and cannot embed");
  },
};

/**
 * Like `withRuntime`, for commands that only read records (exports, history show): the
 * configured embedder is never created, so an OpenAI-compatible one needs no network here.
 */
export async function withExportRuntime<T>(
  g: Globals,
  fn: (rt: Runtime) => Promise<T> | T,
): Promise<T> {
  const loaded = await loadConfig({ configPath: g.config });
  const rt = await openRuntime(loaded, { embedder: NO_EMBEDDER });
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/** The `--scope` flag of passport and bundle export (default project). */
export function scopeOf(p: Parsed): PassportScope {
  const s = strValue(p.values.scope) ?? "project";
  if (!(PASSPORT_SCOPES as readonly string[]).includes(s)) {
    throw invalid(`--scope must be one of ${PASSPORT_SCOPES.join(", ")}, got '${s}'`);
  }
  return s as PassportScope;
}
