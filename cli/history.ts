/** CLI: history — show, export, replay and branch a memory's lineage (memoryoss.history.v1alpha1). */
import {
  branchHistory,
  exportHistory,
  replayHistory,
  type ReplayResult,
  safeText,
  showHistory,
} from "../lib/portable/mod.ts";
import { strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import {
  artifactText,
  flag,
  invalid,
  JSON_OUT,
  NS,
  OUTPUT,
  readArtifact,
  runGroup,
  str,
  type Sub,
  withExportRuntime,
  writeOutput,
} from "./_portable.ts";

const REQUIRE_NS = { namespace: { ...NS.namespace, description: "require this namespace" } };
const DRY = { "dry-run": flag("show what would happen; write nothing") };
const one = (s: string) => safeText(s).replace(/\s+/g, " ").trim().slice(0, 100);

const show: Sub = {
  summary: "the lineage around a memory: nodes, edges and a timeline",
  usage: "show ID [--namespace NS] [--json]",
  options: { ...REQUIRE_NS, ...JSON_OUT },
  positionals: 1,
  async run(p, g) {
    const v = await withExportRuntime(
      g,
      (rt) => showHistory(rt, p.positionals[0], strValue(p.values.namespace)),
    );
    if (p.values.json) {
      printJson(v);
      return 0;
    }
    console.log(`${v.namespace}: ${v.nodes.length} memories around ${v.root_id}`);
    for (const n of v.nodes) {
      console.log(
        `  ${n.id}  ${n.status.padEnd(9)} ${n.archived ? "archived " : ""}${one(n.content)}`,
      );
    }
    if (v.edges.length) console.log("edges:");
    for (const e of v.edges) console.log(`  ${e.from} -${e.kind}-> ${e.to}`);
    console.log("timeline:");
    for (const t of v.timeline) {
      console.log(`  ${t.at}  ${t.kind.padEnd(14)} ${t.memory_id}  ${one(t.summary)}`);
    }
    if (v.decisions.length) console.log("reconciliation:");
    for (const d of v.decisions) {
      const target = d.target_id ? ` → ${d.target_id}` : "";
      console.log(`  ${d.at}  ${d.action} (${d.source})${target}  ${one(d.reason)}`);
    }
    return 0;
  },
};

const exportSub: Sub = {
  summary: "write a memory's lineage as a history bundle",
  usage: "export ID [--namespace NS] [-o FILE]",
  options: { ...REQUIRE_NS, ...OUTPUT },
  examples: ["memoryoss history export 0190… -o h.json"],
  positionals: 1,
  async run(p, g) {
    const tree = await withExportRuntime(
      g,
      (rt) => exportHistory(rt, p.positionals[0], strValue(p.values.namespace)),
    );
    const out = strValue(p.values.output);
    await writeOutput(out, artifactText(tree));
    if (out) {
      console.error(`exported ${(tree.get("memories") as unknown[]).length} memories to ${out}`);
    }
    return 0;
  },
};

function replayLines(r: ReplayResult): string {
  const pv = r.preview;
  if (!pv.can_replay) return `cannot replay: ${pv.blocked_reason}`;
  const verb = r.dry_run ? "would restore" : "restored";
  const renamed = Object.keys(r.renamed_ids).length;
  return `${verb} ${pv.create_count} memories (${pv.visible_count} visible) into ` +
    `${pv.target_namespace}; root ${pv.root_id}` + (renamed ? `; ${renamed} new ids` : "");
}

const replay: Sub = {
  summary: "restore a history bundle into an empty namespace",
  usage: "replay FILE [--namespace NS] [--dry-run] [--allow-untrusted] [--json]",
  options: {
    ...NS,
    ...DRY,
    "allow-untrusted": flag("replay an intact history whose signer is not trusted here"),
    ...JSON_OUT,
  },
  notes: [
    "Every node comes back, archived ones too, with its status, timestamps and lineage. The",
    "target namespace (default: the bundle's) must be empty. As for passport import, a",
    "signature that does not verify is refused (exit 5); an unsigned, HMAC or unknown-key",
    "history needs --allow-untrusted.",
  ],
  examples: ["memoryoss history replay h.json --namespace clean --dry-run"],
  positionals: 1,
  async run(p, g) {
    const tree = await readArtifact(p.positionals[0]);
    const r = await withRuntime(g, (rt) =>
      replayHistory(rt, tree, {
        namespace: strValue(p.values.namespace),
        dryRun: p.values["dry-run"] === true,
        allowUntrusted: p.values["allow-untrusted"] === true,
      }));
    if (p.values.json) printJson(r);
    else console.log(replayLines(r));
    return r.preview.can_replay ? 0 : 1;
  },
};

const branch: Sub = {
  summary: "copy a memory's lineage into an empty namespace (new ids)",
  usage: "branch ID --target-namespace NS [--namespace NS] [--dry-run] [--json]",
  options: {
    ...REQUIRE_NS,
    "target-namespace": str("where the copy goes (must be empty)", "NS"),
    ...DRY,
    ...JSON_OUT,
  },
  examples: ["memoryoss history branch 0190… --target-namespace experiment"],
  positionals: 1,
  async run(p, g) {
    const target = strValue(p.values["target-namespace"]);
    if (!target) throw invalid("history branch needs --target-namespace NS");
    const r = await withRuntime(g, (rt) =>
      branchHistory(rt, p.positionals[0], {
        namespace: strValue(p.values.namespace),
        target,
        dryRun: p.values["dry-run"] === true,
      }));
    if (p.values.json) printJson(r);
    else console.log(replayLines(r));
    return r.preview.can_replay ? 0 : 1;
  },
};

/** `memoryoss history …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "history",
    "memory lineage: show, export, replay, branch",
    { show, export: exportSub, replay, branch },
    args,
    g,
  );
}
