/** CLI: passport — export a namespace as a memoryOSS passport; import one (with a dry run). */
import {
  exportPassport,
  importPassportChecked,
  type PassportImportResult,
  safeText,
  trustLine,
} from "../lib/portable/mod.ts";
import { namespaceValue, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";
import {
  artifactText,
  flag,
  JSON_OUT,
  NS,
  OUTPUT,
  readArtifact,
  runGroup,
  scopeOf,
  str,
  type Sub,
  withExportRuntime,
  writeOutput,
} from "./_portable.ts";

const exportSub: Sub = {
  summary: "write a namespace's memories as a passport (memoryoss.passport.v1alpha1)",
  usage: "export [--namespace NS] [--scope project] [-o FILE] [--json]",
  options: {
    ...NS,
    scope: str("all | personal | project (default) | team", "SCOPE"),
    ...OUTPUT,
    ...JSON_OUT,
  },
  notes: [
    "Archived memories are never exported. Without -o the passport goes to stdout; with -o and",
    "--json a summary is printed instead.",
  ],
  examples: ["memoryoss passport export --namespace proj --scope project -o proj.passport.json"],
  positionals: 0,
  async run(p, g) {
    const tree = await withExportRuntime(
      g,
      (rt) =>
        exportPassport(rt, { namespace: namespaceValue(p.values.namespace), scope: scopeOf(p) }),
    );
    const out = strValue(p.values.output);
    await writeOutput(out, artifactText(tree));
    if (out) {
      const memories = (tree.get("memories") as unknown[]).length;
      const summary = {
        file: out,
        passport_id: tree.get("passport_id"),
        namespace: tree.get("namespace"),
        scope: tree.get("scope"),
        memory_count: memories,
      };
      if (p.values.json) printJson(summary);
      else console.error(`exported ${memories} memories (scope ${summary.scope}) to ${out}`);
    }
    return 0;
  },
};

/** Text lines for an import preview (shared with `adapter import`). */
export function planLines(r: Pick<PassportImportResult, "dry_run" | "preview">): string[] {
  const pv = r.preview;
  const lines = [
    `${pv.target_namespace}: create ${pv.create_count}, merge ${pv.merge_count}, ` +
    `conflict ${pv.conflict_count}${r.dry_run ? "  (dry run: nothing written)" : ""}`,
  ];
  for (const i of pv.items) {
    const target = i.existing_id ? ` → ${i.existing_id}` : "";
    lines.push(`  ${i.decision.padEnd(8)} ${i.incoming_id}  ${i.reason}${target}`);
    lines.push(`           ${safeText(i.preview)}`);
  }
  return lines;
}

const importSub: Sub = {
  summary: "import a passport (or a bundle carrying one): create / merge / conflict",
  usage: "import FILE [--namespace NS] [--dry-run] [--allow-untrusted] [--json]",
  options: {
    ...NS,
    "dry-run": flag("show the plan and the trust status; write nothing"),
    "allow-untrusted": flag(
      "write an intact passport that is unsigned or not signed by a trusted key",
    ),
    ...JSON_OUT,
  },
  notes: [
    "Integrity and the signature are checked first, even for a dry run: a signature that does",
    "not verify, or a revoked key, is refused (exit 5). Writing also needs trust: a bundle signed",
    "by a key this home trusts (its own, or one added with 'memoryoss trust add'). An unsigned",
    "passport, an HMAC-signed or an unknown key's bundle is refused (exit 5) unless",
    "--allow-untrusted. Each memory merges into a stored one with the same id, content hash or",
    "wording, is imported as contested when it contradicts one, or is created keeping its id,",
    "status, version, timestamps and lineage. Ids already used by another namespace of this home",
    "are replaced (listed under renamed_ids).",
  ],
  examples: [
    "memoryoss passport import proj.membundle.json --namespace other --dry-run",
    "memoryoss passport import proj.passport.json --allow-untrusted",
  ],
  positionals: 1,
  async run(p, g) {
    const tree = await readArtifact(p.positionals[0]);
    const r = await withRuntime(g, (rt) =>
      importPassportChecked(rt, tree, {
        namespace: strValue(p.values.namespace),
        dryRun: p.values["dry-run"] === true,
        allowUntrusted: p.values["allow-untrusted"] === true,
        flag: "--allow-untrusted",
        hmacSecret: rt.config.auth.audit_hmac_secret || undefined,
      }));
    if (p.values.json) printJson(r);
    else console.log([`trust: ${trustLine(r.trust ?? null)}`, ...planLines(r)].join("\n"));
    return 0;
  },
};

/** `memoryoss passport …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "passport",
    "export and import memoryOSS passports",
    { export: exportSub, import: importSub },
    args,
    g,
  );
}
