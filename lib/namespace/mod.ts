/**
 * Which namespace a command acts on (`resolveNamespace`, the one rule every command, route and
 * tool follows) and the named stores behind it: a name that maps onto a namespace of the home's database, and the current
 * store that memory commands use when no `--namespace` is given. The mapping lives in
 * `<home>/stores.json`, the current store in `<home>/current_store`; `MEMORYOSS_STORE`
 * overrides the file. The store `default` always exists and maps to the namespace `default`.
 * Removing a store forgets the name only; its memories stay in the namespace.
 *
 * @module
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
// The loader itself, not the config barrel: `remember` starts without the schema (zod).
import { type EnvGet, resolveHome } from "../config/home.ts";
import { ioReason } from "../config/load.ts";

/** The store every home has. */
const DEFAULT_STORE = "default";
/** The environment variable that picks the current store (beats `<home>/current_store`). */
export const STORE_ENV = "MEMORYOSS_STORE";
/** A namespace for one shell or script, over the current store's (not a store name). */
const NAMESPACE_ENV = "MEMORYOSS_NAMESPACE";

/** One named store. */
interface NamedStore {
  name: string;
  namespace: string;
  created_at: string | null;
}

/** The current store and where that choice came from. */
interface CurrentStore extends NamedStore {
  source: "env" | "file" | "default";
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,63}$/u;
const NAMESPACE = /^[\p{L}\p{N}_-]{1,128}$/u;

const storesPath = (home: string) => join(home, "stores.json");
const currentPath = (home: string) => join(home, "current_store");

/** Validate a store name (INVALID_INPUT names the rule). */
function checkStoreName(name: string): string {
  if (!NAME.test(name)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `store name '${name}' is invalid: letters, digits, '_' and '-', at most 64, ` +
        "starting with a letter or digit",
    );
  }
  return name;
}

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${path}: ${ioReason(e)}`);
  }
}

/**
 * Every named store of the home, `default` first, the rest by name.
 *
 * @example
 * ```ts
 * listStores(home).map((s) => `${s.name} → ${s.namespace}`);
 * ```
 */
export function listStores(home: string): NamedStore[] {
  const text = readText(storesPath(home));
  let stored: Record<string, { namespace: string; created_at?: string }> = {};
  if (text !== null) {
    try {
      stored = JSON.parse(text).stores ?? {};
    } catch {
      throw new MemoryossError("INVALID_CONFIG", `${storesPath(home)} is not valid JSON`);
    }
  }
  const out: NamedStore[] = [{ name: DEFAULT_STORE, namespace: "default", created_at: null }];
  for (const name of Object.keys(stored).sort()) {
    if (name === DEFAULT_STORE) continue;
    out.push({
      name,
      namespace: stored[name].namespace,
      created_at: stored[name].created_at ?? null,
    });
  }
  return out;
}

function writeStores(home: string, stores: NamedStore[]): void {
  const obj: Record<string, { namespace: string; created_at: string | null }> = {};
  for (const s of stores) {
    if (s.name !== DEFAULT_STORE) {
      obj[s.name] = { namespace: s.namespace, created_at: s.created_at };
    }
  }
  Deno.mkdirSync(home, { recursive: true });
  const tmp = `${storesPath(home)}.tmp`;
  Deno.writeTextFileSync(tmp, JSON.stringify({ stores: obj }, null, 2) + "\n");
  Deno.renameSync(tmp, storesPath(home));
}

function find(home: string, name: string): NamedStore {
  const s = listStores(home).find((x) => x.name === name);
  if (!s) {
    throw new MemoryossError(
      "NOT_FOUND",
      `no store named '${name}' (see 'memoryoss store list'; create it with 'memoryoss store create ${name}')`,
    );
  }
  return s;
}

/**
 * Create a named store mapped to `namespace` (default: the name). CONFLICT if it exists.
 *
 * @example
 * ```ts
 * createStore(home, "work"); // { name: "work", namespace: "work", … }
 * ```
 */
export function createStore(
  home: string,
  name: string,
  namespace?: string,
  now: Date = new Date(),
): NamedStore {
  checkStoreName(name);
  const ns = namespace ?? name;
  if (!NAMESPACE.test(ns)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `namespace '${ns}' may contain only letters, digits, '_' and '-' (at most 128)`,
    );
  }
  const stores = listStores(home);
  if (stores.some((s) => s.name === name)) {
    throw new MemoryossError("CONFLICT", `store '${name}' already exists`);
  }
  const created = { name, namespace: ns, created_at: now.toISOString() };
  writeStores(home, [...stores, created]);
  return created;
}

/** Make `name` the current store (written to `<home>/current_store`). */
export function useStore(home: string, name: string): NamedStore {
  const s = find(home, checkStoreName(name));
  Deno.mkdirSync(home, { recursive: true });
  Deno.writeTextFileSync(currentPath(home), `${s.name}\n`);
  return s;
}

/**
 * Forget a store's name (its memories stay). When it was current, `default` becomes current.
 * The store `default` cannot be removed.
 */
export function removeStore(
  home: string,
  name: string,
): { removed: NamedStore; was_current: boolean } {
  if (name === DEFAULT_STORE) {
    throw new MemoryossError("INVALID_INPUT", "the store 'default' cannot be removed");
  }
  const s = find(home, checkStoreName(name));
  writeStores(home, listStores(home).filter((x) => x.name !== name));
  const wasCurrent = readText(currentPath(home))?.trim() === name;
  if (wasCurrent) Deno.removeSync(currentPath(home));
  return { removed: s, was_current: wasCurrent };
}

/**
 * The current store: `MEMORYOSS_STORE`, else `<home>/current_store`, else `default`. A name
 * that does not exist is an error (INVALID_INPUT for the variable, NOT_FOUND for the file).
 */
export function currentStore(home: string, env: EnvGet): CurrentStore {
  const fromEnv = env(STORE_ENV)?.trim();
  if (fromEnv) {
    const s = listStores(home).find((x) => x.name === fromEnv);
    if (!s) {
      throw new MemoryossError("INVALID_INPUT", `${STORE_ENV}=${fromEnv}: no store with that name`);
    }
    return { ...s, source: "env" };
  }
  const fromFile = readText(currentPath(home))?.trim();
  if (fromFile) return { ...find(home, fromFile), source: "file" };
  return { ...listStores(home)[0], source: "default" };
}

/**
 * THE namespace rule of every command, hook and stdio MCP server (HTTP keys bound to
 * namespaces use theirs): an explicit `--namespace` wins, then `MEMORYOSS_NAMESPACE`, then
 * the current store's namespace (`MEMORYOSS_STORE`, then `store use`), else `default`.
 *
 * @example
 * ```ts
 * resolveNamespace(undefined, (k) => Deno.env.get(k)); // "work" after `store use work`
 * ```
 */
export function resolveNamespace(explicit: string | undefined, env: EnvGet): string {
  if (explicit !== undefined) return explicit;
  const fromEnv = env(NAMESPACE_ENV)?.trim();
  if (fromEnv) return fromEnv;
  return currentStore(resolveHome(env), env).namespace;
}
