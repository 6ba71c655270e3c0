/**
 * CLI: adapter — import foreign memory artifacts (Claude project knowledge, Cursor rules,
 * git history, Claude Code's memory folder) and export back to them.
 */
import {
  ADAPTER_KINDS,
  type AdapterKind,
  EXPORT_KINDS,
  exportAdapter,
  type ExportKind,
  importAdapter,
  writeFolder,
} from "../adapters/mod.ts";
import { namespaceValue, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import { planLines } from "./passport.ts";
import {
  flag,
  invalid,
  JSON_OUT,
  NS,
  OUTPUT,
  runGroup,
  str,
  type Sub,
  withExportRuntime,
  writeOutput,
} from "./_portable.ts";

function kindOf<K extends string>(p: Parsed, kinds: readonly K[]): K {
  const k = strValue(p.values.kind);
  if (!k || !(kinds as readonly string[]).includes(k)) {
    throw invalid(`--kind must be one of ${kinds.join(", ")}${k ? `, got '${k}'` : ""}`);
  }
  return k as K;
}

const importSub: Sub = {
  summary: "normalise a foreign artifact into memories (create / merge / conflict)",
  usage: `import --kind ${ADAPTER_KINDS.join("|")} FILE_OR_DIR [--namespace NS] [--dry-run]`,
  options: {
    kind: str(ADAPTER_KINDS.join(" | "), "KIND"),
    ...NS,
    label: str("source label (default: the file or folder name)", "LABEL"),
    "dry-run": flag("show the plan; write nothing"),
    ...JSON_OUT,
  },
  notes: [
    "claude_project: a markdown file; cursor_rules: an .mdc file; git_history: a repository",
    "folder (recent commits, as candidates; runs git); claude_memory: a Claude Code memory",
    "folder (frontmatter type → memory type and category). Records are tagged adapter:<kind>,",
    "client:<claude|cursor|git> and source_ref:<label>.",
  ],
  examples: ["memoryoss adapter import --kind cursor_rules .cursor/rules/x.mdc --namespace ns"],
  positionals: 1,
  async run(p, g) {
    const kind = kindOf<AdapterKind>(p, ADAPTER_KINDS);
    const r = await withRuntime(g, (rt) =>
      importAdapter(rt, {
        kind,
        path: p.positionals[0],
        namespace: namespaceValue(p.values.namespace),
        dryRun: p.values["dry-run"] === true,
        label: strValue(p.values.label),
      }));
    if (p.values.json) printJson(r);
    else {
      console.log(
        `${r.preview.adapter_kind} ${r.preview.source_label}: ${r.preview.normalized_count} items`,
      );
      console.log(planLines({ dry_run: r.dry_run, preview: r.preview.preview }).join("\n"));
    }
    return 0;
  },
};

const exportSub: Sub = {
  summary: "render a namespace as a foreign artifact",
  usage: `export --kind ${EXPORT_KINDS.join("|")} [--namespace NS] [-o OUT] [--force]`,
  options: {
    kind: str(EXPORT_KINDS.join(" | "), "KIND"),
    ...NS,
    ...OUTPUT,
    force: flag("claude_memory: overwrite files already in OUT"),
    ...JSON_OUT,
  },
  notes: [
    "Active, candidate and stale memories that are not archived or contested, one per content,",
    "oldest first. claude_memory writes one file per memory plus MEMORY.md into the folder OUT.",
  ],
  examples: ["memoryoss adapter export --kind cursor_rules --namespace ns -o .cursor/rules/m.mdc"],
  positionals: 0,
  async run(p, g) {
    const kind = kindOf<ExportKind>(p, EXPORT_KINDS);
    const out = strValue(p.values.output);
    if (kind === "claude_memory" && !out) throw invalid("--kind claude_memory needs -o FOLDER");
    const artifact = await withExportRuntime(
      g,
      (rt) => exportAdapter(rt, { kind, namespace: namespaceValue(p.values.namespace) }),
    );
    if (artifact.files) {
      const written = await writeFolder(out!, artifact.files, p.values.force === true);
      if (p.values.json) printJson({ ...artifact, files: written });
      else console.error(`wrote ${artifact.exported_count} memories to ${out}`);
      return 0;
    }
    if (p.values.json && out) {
      await writeOutput(out, artifact.content!);
      printJson({ ...artifact, content: undefined, file: out });
    } else if (p.values.json) printJson(artifact);
    else {
      await writeOutput(out, artifact.content!);
      if (out) console.error(`wrote ${artifact.exported_count} memories to ${out}`);
    }
    return 0;
  },
};

/** `memoryoss adapter …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "adapter",
    "import and export foreign memory artifacts",
    { import: importSub, export: exportSub },
    args,
    g,
  );
}
