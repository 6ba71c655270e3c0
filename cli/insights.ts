/**
 * CLI: memman's `replace <id> TEXT` and `insights protect|candidates`. Each calls one
 * lib/memory function; while the scheduler is stopped, replace and protect exit 5.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { protectMemory, pruneCandidates, replaceMemory } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  JSON_OPTION,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  type Parsed,
  stripUndefined,
  strValue,
} from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { runVerbs } from "./_subcommands.ts";
import { contentArg, withRuntime } from "./_runtime.ts";

const ONLY_IN = { ...NAMESPACE_OPTION, description: "only if the memory is in this namespace" };

const replaceSpec: CommandSpec = {
  name: "replace",
  summary: "replace a memory's text by a new memory; the old one is archived as superseded",
  usage: ["replace ID [--namespace NS] [--json] TEXT…", "replace ID [options] -   (text on stdin)"],
  options: { namespace: ONLY_IN, json: JSON_OPTION },
  notes: [
    "As memman's replace: the new memory keeps the old one's tags, category, type, metadata",
    "and usage counts (no dedup, no reconciliation); the old one is archived with",
    "superseded_by = the new id (never deleted: 'memoryoss history show ID' shows the lineage).",
    "Applied at once (memman queues it for the next drain). Exit 4 for an unknown or archived",
    "id, 5 while the scheduler is stopped.",
  ],
  examples: ['memoryoss replace 0194c3… "Deploys need two approvals and a green canary."'],
};

async function replaceCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(replaceSpec, args);
  if (!p) return 0;
  const [id, ...words] = p.positionals;
  if (!id || words.length === 0) {
    throw new MemoryossError("INVALID_INPUT", "replace takes a memory id and the new text");
  }
  const content = await contentArg(words);
  const input = stripUndefined({ id, content, namespace: strValue(p.values.namespace) });
  const res = await withRuntime(g, (rt) => replaceMemory(rt, input, "cli"));
  if (p.values.json) printJson(res);
  else console.log(`replaced ${res.replaced} by ${res.id}`);
  return 0;
}

const insightsSpec: CommandSpec = {
  name: "insights",
  summary: "protect a memory from decay; list the memories decay reaches first",
  usage: [
    "insights protect ID [--namespace NS] [--json]",
    "insights candidates [--namespace NS] [--threshold 0.5] [--json]",
  ],
  options: {
    namespace: {
      ...NAMESPACE_OPTION,
      description: "protect: only if the memory is in it; candidates: the namespace to list",
    },
    threshold: { type: "string", value: "X", description: "candidates under X (0–1, default 0.5)" },
    json: JSON_OPTION,
  },
  notes: [
    "protect pins the memory (adds the [lifecycle] pin_tag, 'pinned' by default): decay and gc",
    "never turn it stale or archive it. Idempotent; exit 5 while the scheduler is stopped.",
    "candidates is read-only: live memories that are not immune and whose importance is under",
    "the threshold, lowest first (see 'memoryoss decay --dry-run' for every memory's arithmetic).",
    "memman's 'insights show ID' is 'memoryoss inspect ID'; 'insights review' is 'memoryoss review'.",
  ],
  examples: [
    "memoryoss insights protect 0194c3…",
    "memoryoss insights candidates --namespace demo --threshold 0.3 --json",
  ],
};

async function insightsCmd(args: string[], g: Globals): Promise<number> {
  return await runVerbs(insightsSpec, { protect, candidates }, args, g);
}

/** `insights protect ID`: tag a memory so decay and gc leave it alone. */
async function protect(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const v = p.values;
  if (rest.length !== 1) throw usage("protect ID");
  if (v.threshold !== undefined) {
    throw new MemoryossError("INVALID_INPUT", "--threshold is for insights candidates");
  }
  const input = stripUndefined({ id: rest[0], namespace: strValue(v.namespace) });
  const res = await withRuntime(g, (rt) => protectMemory(rt, input, "cli"));
  if (v.json) printJson(res);
  else {
    console.log(
      res.changed
        ? `protected ${res.id}: tagged '${res.pin_tag}', decay and gc leave it alone`
        : `${res.id} was already protected (tagged '${res.pin_tag}')`,
    );
  }
  return 0;
}

/** `insights candidates`: decay's first candidates, read-only. */
async function candidates(p: Parsed, rest: string[], g: Globals): Promise<number> {
  const v = p.values;
  if (rest.length !== 0) throw usage("candidates [--threshold X]");
  const input = stripUndefined({
    namespace: namespaceValue(v.namespace),
    threshold: thresholdValue(v.threshold),
  });
  const res = await withRuntime(g, (rt) => pruneCandidates(rt, input));
  if (v.json) printJson(res);
  else {
    console.log(`${res.count} candidate(s) under ${res.threshold} in ${res.namespace}`);
    for (const c of res.candidates) console.log(`${c.id}  ${c.importance}  ${c.first_line}`);
  }
  return 0;
}

const usage = (u: string) => new MemoryossError("INVALID_INPUT", `usage: memoryoss insights ${u}`);

function thresholdValue(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new MemoryossError("INVALID_INPUT", `--threshold takes a number from 0 to 1, got '${v}'`);
  }
  return n;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  replace: replaceCmd,
  insights: insightsCmd,
};
