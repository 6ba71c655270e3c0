/**
 * CLI: recent — the terminal view of `GET /v1/admin/recent` (memoryOSS §7/§8: "`recent` and
 * `hud` are terminal views of the admin endpoints"): memoryOSS's groups (injections,
 * extractions, feedbacks, consolidations; `--limit` entries each) and our activity log of one
 * namespace, from the same lib/memory `recentView()` the route calls.
 */
import { recentView } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
} from "./_args.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

const spec: CommandSpec = {
  name: "recent",
  summary: "recent injections, extractions, feedbacks and consolidations of a namespace",
  usage: ["recent [--namespace NS] [--limit 10] [--json]"],
  options: {
    namespace: NAMESPACE_OPTION,
    limit: {
      type: "string",
      value: "N",
      description: "entries per activity group, 1..100 (default 10)",
    },
    json: JSON_OPTION,
  },
  notes: [
    "The same view as GET /v1/admin/recent (docs/http-api.md), newest first: memoryOSS's",
    "groups (injections, extractions, feedbacks, consolidations, each with a 100-character",
    "preview) and the activity log (feedback, review, consolidate, forget events).",
  ],
  examples: ["memoryoss recent --namespace proj", "memoryoss recent -n proj --limit 50 --json"],
};

type Recent = ReturnType<typeof recentView>;
type Entry = Recent["injections"][number];

const GROUPS = ["injections", "extractions", "feedbacks", "consolidations"] as const;

function entryLine(g: (typeof GROUPS)[number], e: Entry): string {
  const extra = g === "injections"
    ? `injected ${e.injection_count}x`
    : g === "feedbacks"
    ? String(e.action)
    : g === "consolidations"
    ? `from ${e.derived_count}`
    : `confidence ${e.confidence ?? "-"}`;
  return `    ${e.at}  ${e.id}  ${String(e.status).padEnd(9)} ${extra.padEnd(14)} ${e.preview}`;
}

function text(namespace: string, v: Recent): string {
  const lines = [`recent in ${namespace} (newest first):`];
  for (const g of GROUPS) {
    lines.push(`  ${g} (${v.counts[g]})`);
    for (const e of v[g]) lines.push(entryLine(g, e));
  }
  lines.push(`  activity log (${v.events.length})`);
  for (const e of v.events) {
    const who = e.actor ? `  by ${e.actor}` : "";
    lines.push(`    ${e.at}  ${e.kind.padEnd(18)} ${e.memory_id ?? "-"}${who}`);
  }
  return lines.join("\n");
}

/** `memoryoss recent`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `recent takes no arguments (got '${p.positionals[0]}')`,
    );
  }
  const limit = intValue(p.values.limit, "limit", 1) ?? 10;
  if (limit > 100) throw new MemoryossError("INVALID_INPUT", "--limit must be 1..100");
  const namespace = namespaceValue(p.values.namespace);
  const view = await withRuntime(
    g,
    (rt) => recentView(rt, { scope: [namespace], namespace, limit }),
  );
  if (p.values.json) printJson(view);
  else console.log(text(namespace, view));
  return 0;
}
