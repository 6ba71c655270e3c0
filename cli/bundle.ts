/**
 * CLI: bundle — memoryOSS bundle envelopes (memoryoss.bundle.v1alpha1): export a signed
 * passport or history envelope; preview, validate (integrity + signer trust) and diff
 * offline.
 */
import {
  diffArtifacts,
  exportBundle,
  openArtifact,
  previewArtifact,
  safeText,
  trustLine,
  validationReport,
} from "../lib/portable/mod.ts";
import { strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import {
  artifactText,
  flag,
  invalid,
  JSON_OUT,
  NS,
  OUTPUT,
  readArtifact,
  readInput,
  runGroup,
  scopeOf,
  str,
  type Sub,
  TRUST_OPT,
  trustFor,
  withExportRuntime,
  writeOutput,
} from "./_portable.ts";

const exportSub: Sub = {
  summary: "wrap a passport or history in a signed envelope",
  usage:
    "export [--kind passport|history] [--namespace NS] [--scope project] [--id ID] [--sign ed25519|hmac|none] [-o FILE]",
  options: {
    kind: str("passport (default) or history", "KIND"),
    ...NS,
    scope: str("passport scope: all | personal | project (default) | team", "SCOPE"),
    id: str("history root memory id (--kind history)", "ID"),
    sign: str("ed25519 (default, device key in the home) | hmac | none", "SCHEME"),
    ...OUTPUT,
  },
  notes: [
    "ed25519 signs as device:local-runtime with <home>/trust-device.key (created on first use and",
    "registered with its public key in <home>/trust.json). hmac signs as memoryOSS does, with the",
    "secret in MEMORYOSS_AUDIT_HMAC_SECRET (at least 32 characters).",
  ],
  examples: ["memoryoss bundle export --kind passport --namespace proj -o proj.membundle.json"],
  positionals: 0,
  async run(p, g) {
    const kind = strValue(p.values.kind) ?? "passport";
    const sign = strValue(p.values.sign) ?? "ed25519";
    if (kind !== "passport" && kind !== "history") {
      throw invalid(`--kind must be passport or history, got '${kind}'`);
    }
    if (!["ed25519", "hmac", "none"].includes(sign)) {
      throw invalid(`--sign must be ed25519, hmac or none, got '${sign}'`);
    }
    const id = strValue(p.values.id);
    if (kind === "history" && !id) throw invalid("bundle export --kind history needs --id ID");
    const envelope = await withExportRuntime(g, (rt) =>
      exportBundle(rt, {
        kind,
        namespace: strValue(p.values.namespace),
        scope: kind === "passport" ? scopeOf(p) : undefined,
        id,
        sign: sign as "ed25519" | "hmac" | "none",
        hmacSecret: sign === "hmac" ? Deno.env.get("MEMORYOSS_AUDIT_HMAC_SECRET") : undefined,
      }));
    const out = strValue(p.values.output);
    await writeOutput(out, artifactText(envelope));
    if (out) {
      console.error(`wrote ${kind} bundle (${sign === "none" ? "unsigned" : sign}) to ${out}`);
    }
    return 0;
  },
};

const preview: Sub = {
  summary: "summarise a bundle (or a bare passport/history) offline",
  usage: "preview FILE [--json]",
  options: { ...JSON_OUT },
  positionals: 1,
  async run(p) {
    const pv = previewArtifact(await readArtifact(p.positionals[0]));
    if (p.values.json) printJson(pv);
    else {
      for (const [k, v] of Object.entries(pv)) {
        if (k !== "preview") console.log(`${k.padEnd(24)}${v === null ? "-" : v}`);
      }
      for (const line of pv.preview) {
        console.log(`  - ${safeText(line)}`);
      }
    }
    return 0;
  },
};

const validate: Sub = {
  summary: "check integrity, nested payload and signer trust",
  usage: "validate FILE [--trust FILE] [--require-trusted] [--json]",
  options: {
    ...TRUST_OPT,
    "require-trusted": flag("fail unless the signer is trusted"),
    ...JSON_OUT,
  },
  notes: [
    "Trust is one of trusted, unsigned, unknown_identity, revoked, invalid_signature or",
    "unverified (a known HMAC signer without MEMORYOSS_AUDIT_HMAC_SECRET). Exit 0 when valid,",
    "3 when integrity fails or the signer is revoked or the signature invalid.",
  ],
  positionals: 1,
  async run(p) {
    const file = p.positionals[0];
    const doc = await openArtifact(file, await readInput(file), await trustFor(p));
    const report = validationReport(doc, p.values["require-trusted"] === true);
    if (p.values.json) {
      printJson({ file, ...report });
    } else {
      console.log(`${file}: ${doc.kind}, integrity ${doc.ok ? "valid" : "INVALID"}`);
      for (const e of doc.errors) console.log(`  error   ${e.path}: ${e.message}`);
      for (const w of doc.warnings) console.log(`  warning ${w.path}: ${w.message}`);
      if (doc.kind === "bundle") console.log(`  trust   ${trustLine(doc.trust)}`);
    }
    return report.accepted ? 0 : 3;
  },
};

const diff: Sub = {
  summary: "compare two bundles: header fields and contents added/removed",
  usage: "diff OLD NEW [--json]",
  options: { ...JSON_OUT },
  positionals: 2,
  async run(p) {
    const d = diffArtifacts(
      await readArtifact(p.positionals[0]),
      await readArtifact(p.positionals[1]),
    );
    if (p.values.json) {
      printJson(d);
      return 0;
    }
    const clean = safeText;
    console.log(`same kind: ${d.same_kind}; changed: ${d.changed_fields.join(", ") || "none"}`);
    console.log(`shared contents: ${d.shared_preview_count}`);
    for (const a of d.added_preview) console.log(`+ ${clean(a)}`);
    for (const r of d.removed_preview) console.log(`- ${clean(r)}`);
    return 0;
  },
};

/** `memoryoss bundle …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "bundle",
    "memoryOSS bundle envelopes: export, preview, validate, diff",
    { export: exportSub, preview, validate, diff },
    args,
    g,
  );
}
