/**
 * CLI: `forget --certified` — the twin of `DELETE /v1/forget/certified`: delete what the
 * filter names in ONE namespace and print the signed deletion certificate (Merkle root over
 * the deleted memories' content hashes, Ed25519 signature by this home's device key). Calls
 * lib/portable `certifiedForget`, as the route does.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { certifiedForget } from "../lib/portable/mod.ts";
import {
  type CommandSpec,
  listValue,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  type Parsed,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { TAGS_FILTER } from "./_filters.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

/** The filter options of `forget`, shared by `forget --certified` (one spelling, one help). */
export const FORGET_FILTER_OPTIONS: CommandSpec["options"] = {
  ids: { type: "string", value: "A,B", description: "memory ids", multiple: true },
  tags: TAGS_FILTER,
  agent: { type: "string", value: "NAME", description: "by agent" },
  session: { type: "string", value: "ID", description: "by session" },
  before: { type: "string", value: "TS", description: "created before this time" },
  after: { type: "string", value: "TS", description: "created at or after this time" },
  all: { type: "boolean", description: "everything in the namespace (needs --yes)" },
  yes: { type: "boolean", short: "y", description: "confirm --all" },
};

/** What {@link FORGET_FILTER_OPTIONS} select, named as lib/memory's forget input names it. */
export function forgetFilter(v: Parsed["values"]) {
  return {
    ids: listValue(v.ids),
    tags: listValue(v.tags),
    agent: strValue(v.agent),
    session: strValue(v.session),
    before: strValue(v.before),
    after: strValue(v.after),
    all: v.all ? true : undefined,
  };
}

const spec: CommandSpec = {
  name: "forget --certified",
  summary: "delete memories and print a signed deletion certificate",
  usage: [
    "forget --certified --ids A,B [-n NS] [--json]",
    "forget --certified -n NS --tags X [--agent A] [--session S] [--before TS] [--after TS]",
    "forget --certified -n NS --all --yes",
  ],
  options: {
    namespace: NAMESPACE_OPTION,
    ...FORGET_FILTER_OPTIONS,
    json: { type: "boolean", description: "print JSON only (no summary line on stderr)" },
  },
  notes: [
    "One namespace (default: the current store's). Exit 4 when nothing matches (nothing is",
    "deleted). Preview first with 'memoryoss forget … --dry-run' (no certificate); a certified",
    "forget always deletes. The certificate is memoryOSS's deletion_certificate; the signature",
    "is Ed25519 by this home's key (signature_info.public_key), checkable without the server.",
  ],
  examples: [
    "memoryoss forget -n proj --tags scratch --dry-run",
    "memoryoss forget --certified -n proj --tags scratch > receipt.json",
  ],
};

/** `memoryoss forget --certified …` (the flag already removed from `args`). */
export async function forgetCertifiedCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  const v = p.values;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "forget takes ids with --ids, not as arguments");
  }
  if (v.all && !v.yes) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "--all deletes the whole namespace: add --yes to confirm (preview: forget --all --dry-run)",
    );
  }
  const namespace = namespaceValue(v.namespace);
  const raw = stripUndefined(forgetFilter(v));
  const res = await withRuntime(
    g,
    (rt) => certifiedForget(rt, raw, namespace, { scope: "*", actor: "cli", via: "cli" }),
  );
  if (!v.json) {
    console.error(
      `memoryoss: deleted ${res.deleted} from ${namespace}; merkle root ` +
        `${res.certificate.merkle_root}, signed by ${res.signature_info.identity}`,
    );
  }
  printJson(res);
  return 0;
}
