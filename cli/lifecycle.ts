/** CLI: decay and gc — the lifecycle policy (stale, then archived; never deleted). */
import { decay, decayAll } from "../lib/memory/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
  stripUndefined,
} from "./_args.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

function spec(name: "decay" | "gc"): CommandSpec {
  return {
    name,
    summary: name === "decay"
      ? "turn idle memories that never proved useful stale, and archive idle stale ones"
      : "archive stale and contested memories idle past the threshold",
    usage: [`${name} [--namespace NS | --all-namespaces] [--after-days 90] [--dry-run] [--json]`],
    options: {
      namespace: NAMESPACE_OPTION,
      "all-namespaces": { type: "boolean", description: "every namespace of the home" },
      "after-days": {
        type: "string",
        value: "N",
        description: "idle threshold in days (default 90)",
      },
      "dry-run": { type: "boolean", description: "list the transitions, change nothing" },
      json: JSON_OPTION,
    },
    notes: [
      "Nothing is deleted: archived memories leave recall but stay in the store.",
      "Importance = base (metadata.importance 1-5, else 3) × access boost × 0.5^(idle days /",
      "half-life) — half-lives per category in [lifecycle]. Pinned memories (tag 'pinned' or",
      "metadata.pinned) never decay. --dry-run lists every memory's importance and why.",
    ],
    examples: [`memoryoss ${name} --dry-run`, `memoryoss ${name} --all-namespaces --json`],
  };
}

function command(name: "decay" | "gc") {
  return async (args: string[], g: Globals): Promise<number> => {
    const p = parseCommand(spec(name), args);
    if (!p) return 0;
    if (p.positionals.length) {
      throw new MemoryossError("INVALID_INPUT", `${name} takes no arguments`);
    }
    const all = p.values["all-namespaces"] === true;
    if (all && p.values.namespace !== undefined) {
      throw new MemoryossError(
        "INVALID_INPUT",
        "--namespace and --all-namespaces exclude each other",
      );
    }
    const input = stripUndefined({
      after_days: intValue(p.values["after-days"], "after-days"),
      dry_run: p.values["dry-run"] ? true : undefined,
      steps: name,
    });
    const results = await withRuntime(
      g,
      (rt) =>
        all
          ? decayAll(rt, input)
          : [decay(rt, { ...input, namespace: namespaceValue(p.values.namespace) })],
    );
    if (p.values.json) printJson(all ? { namespaces: results } : results[0]);
    else results.forEach(printResult);
    return 0;
  };
}

function printResult(res: ReturnType<typeof decay>): void {
  const verb = res.dry_run ? "would turn" : "turned";
  console.log(
    `${res.namespace}: ${verb} ${res.stale} stale, ${
      res.dry_run ? "would archive" : "archived"
    } ${res.archived}`,
  );
  for (const t of res.transitions) {
    console.log(`  ${t.id}  ${t.from} → ${t.to}  (${t.reason}, idle ${t.idle_days} d)`);
  }
  if (res.importance?.length) console.log("importance:");
  for (const m of res.importance ?? []) {
    console.log(`  ${m.id}  ${m.importance.toFixed(4)}  ${m.why}`);
  }
}

export const commands = { decay: command("decay"), gc: command("gc") };
