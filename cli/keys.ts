/**
 * CLI: keys — manage HTTP API keys locally (whoever can read the home owns it): list, create,
 * revoke, rotate. Opens only the database (no embedder, no network). Secrets are printed once.
 */
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { Store } from "../lib/store/mod.ts";
import {
  type ApiKeyInfo,
  createApiKey,
  listApiKeys,
  revokeKey,
  type Role,
  ROLES,
  rotateApiKey,
  type Scope,
  ScopeSchema,
} from "../lib/auth/mod.ts";
import { parseInput } from "../lib/memory/mod.ts";
import { type CommandSpec, intValue, listValue, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { runVerbs } from "./_subcommands.ts";

const spec: CommandSpec = {
  name: "keys",
  summary: "manage HTTP API keys (list, create, revoke, rotate)",
  usage: [
    "keys list [--json]",
    "keys create --role reader|writer|admin [--namespaces NS,… | '*'] [--label TEXT] [--expires-in SECS] [--json]",
    "keys revoke KEY_ID [--force]",
    "keys rotate KEY_ID [--grace SECS] [--json]",
  ],
  options: {
    role: { type: "string", value: "ROLE", description: "reader, writer or admin" },
    namespaces: {
      type: "string",
      value: "NS,…",
      description: "namespaces the key may use, or '*' for all (default: default)",
      multiple: true,
    },
    label: { type: "string", value: "TEXT", description: "a note to recognise the key by" },
    "expires-in": { type: "string", value: "SECS", description: "key lifetime in seconds" },
    grace: {
      type: "string",
      value: "SECS",
      description: "rotate: how long the old key keeps working (default 86400)",
    },
    force: { type: "boolean", description: "revoke even the last owner key" },
    json: { type: "boolean", description: "print JSON" },
  },
  notes: [
    "Keys are stored as SHA-256 digests; a new key's secret is shown once and cannot be shown again.",
    "The first 'memoryoss serve' creates an owner key (admin, every namespace) in <home>/admin.key.",
  ],
  examples: [
    "memoryoss keys create --role writer --namespaces team-a --label ci",
    "memoryoss keys list",
    "memoryoss keys rotate 3f2a9c0d11b4e5f6 --grace 3600",
  ],
};

function row(k: ApiKeyInfo): string {
  const ns = k.namespaces === "*" ? "*" : k.namespaces.join(",");
  return `${k.key_id}  ${k.role.padEnd(6)}  ${k.state.padEnd(7)}  ${ns}${
    k.label ? `  (${k.label})` : ""
  }`;
}

/** `keys list|create|revoke|rotate …` */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runVerbs(spec, { list, create, revoke, rotate }, args, g);
}

/** The key table of the configured database, open for `fn`. */
async function withKeyStore<T>(g: Globals, fn: (store: Store) => Promise<T> | T): Promise<T> {
  const loaded = await loadConfig({ configPath: g.config });
  const store = Store.open(loaded.dbPath, { busyTimeoutMs: loaded.config.storage.busy_timeout_ms });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

async function list(p: Parsed, rest: string[], g: Globals): Promise<number> {
  if (rest.length) throw new MemoryossError("INVALID_INPUT", "keys list takes no arguments");
  const keys = await withKeyStore(g, (store) => listApiKeys(store));
  if (p.values.json) printJson({ keys });
  else if (keys.length === 0) console.log("no API keys (the first 'serve' creates one)");
  else for (const k of keys) console.log(row(k));
  return 0;
}

async function create(p: Parsed, rest: string[], g: Globals): Promise<number> {
  if (rest.length) throw new MemoryossError("INVALID_INPUT", "keys create takes no arguments");
  const role = strValue(p.values.role);
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw new MemoryossError("INVALID_INPUT", "--role must be reader, writer or admin");
  }
  const list = listValue(p.values.namespaces as string[] | undefined) ?? ["default"];
  const namespaces: Scope = list.includes("*") ? "*" : parseInput(ScopeSchema, list) as string[];
  const secs = intValue(p.values["expires-in"], "expires-in", 60);
  const now = new Date();
  const made = (await withKeyStore(g, (store) =>
    createApiKey(store, {
      role: role as Role,
      namespaces,
      label: strValue(p.values.label) ?? null,
      expires_at: secs ? new Date(now.getTime() + secs * 1000).toISOString() : null,
    }, now)))!;
  if (p.values.json) printJson({ key: made.key, ...made.info });
  else {
    console.log(`created ${row(made.info)}`);
    console.log(`key (shown once): ${made.key}`);
  }
  return 0;
}

async function revoke(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const id = one(rest, "revoke");
  await withKeyStore(g, (store) => revokeKey(store, id, { force: Boolean(p.values.force) }));
  if (p.values.json) printJson({ revoked: true, key_id: id });
  else console.log(`revoked ${id}`);
  return 0;
}

async function rotate(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const id = one(rest, "rotate");
  const grace = intValue(p.values.grace, "grace") ?? 86_400;
  const r = await withKeyStore(g, (store) => rotateApiKey(store, id, grace));
  if (p.values.json) {
    printJson({
      rotated: true,
      key: r.key,
      ...r.info,
      previous_key_id: id,
      previous_expires_at: r.previous.expires_at,
    });
  } else {
    console.log(`rotated ${id} → ${r.info.key_id} (old key works until ${r.previous.expires_at})`);
    console.log(`key (shown once): ${r.key}`);
  }
  return 0;
}

function one(rest: string[], verb: string): string {
  if (rest.length !== 1) {
    throw new MemoryossError("INVALID_INPUT", `keys ${verb} takes one KEY_ID`);
  }
  return rest[0];
}
