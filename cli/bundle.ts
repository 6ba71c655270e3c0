/**
 * CLI: bundle — memoryOSS bundle envelopes (memoryoss.bundle.v1alpha1): export a signed
 * passport or history envelope; preview, validate (integrity, signature, signer trust) and diff
 * offline.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  admission,
  diffArtifacts,
  exportBundle,
  safeText,
  trustLine,
  validationReport,
} from "../lib/portable/mod.ts";
import { namespaceValue, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import {
  artifactText,
  flag,
  invalid,
  JSON_OUT,
  NS,
  openFile,
  OUTPUT,
  readArtifact,
  runGroup,
  scopeOf,
  str,
  type Sub,
  TRUST_OPT,
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
    "ed25519 signs with <home>/trust-device.key (created on first use) as device:<fingerprint of",
    "its public key>, and writes the public key into the envelope (signature.public_key), so any",
    "home can check the signature; only homes that trust the key ('memoryoss trust add') call it",
    "trusted. hmac signs as memoryOSS does, with MEMORYOSS_AUDIT_HMAC_SECRET, else the config's",
    "[auth] audit_hmac_secret (at least 32 characters): a shared secret, never reported as",
    "trusted.",
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
        namespace: namespaceValue(p.values.namespace),
        scope: kind === "passport" ? scopeOf(p) : undefined,
        id,
        sign: sign as "ed25519" | "hmac" | "none",
        hmacSecret: sign === "hmac" ? rt.config.auth.audit_hmac_secret || undefined : undefined,
      }));
    const out = strValue(p.values.output);
    await writeOutput(out, artifactText(envelope));
    if (out) {
      console.error(`wrote ${kind} bundle (${sign === "none" ? "unsigned" : sign}) to ${out}`);
    }
    return 0;
  },
};

/** Exit 5 with the reason on stderr for a rejected artifact (after its report was printed). */
function rejectIfForbidden(a: { exit_code: number; message: string }): number {
  if (a.exit_code === 5) throw new MemoryossError("FORBIDDEN", a.message);
  return a.exit_code;
}

const preview: Sub = {
  summary: "summarise a bundle (or a bare passport/history) offline",
  usage: "preview FILE [--trust FILE] [--json]",
  options: { ...TRUST_OPT, ...JSON_OUT },
  notes: [
    "Shows the signature decision as validate does, and exits 5 when the signature does not",
    "verify or its key is revoked (integrity problems are shown, exit 0).",
  ],
  examples: ["memoryoss bundle preview proj.membundle.json --json"],
  positionals: 1,
  async run(p) {
    const file = p.positionals[0];
    const doc = await openFile(file, p);
    if (!doc.preview) throw invalid(`${file}: ${doc.errors[0]?.message ?? "not an artifact"}`);
    const a = admission(doc);
    const pv = { ...doc.preview, verdict: a.verdict, trust: doc.trust };
    if (p.values.json) printJson(pv);
    else {
      for (const [k, v] of Object.entries(doc.preview)) {
        if (k !== "preview") console.log(`${k.padEnd(24)}${v === null ? "-" : v}`);
      }
      console.log(`${"trust".padEnd(24)}${trustLine(doc.trust)}`);
      for (const line of doc.preview.preview) {
        console.log(`  - ${safeText(line)}`);
      }
    }
    return a.verdict === "rejected" ? rejectIfForbidden(a) : 0;
  },
};

const validate: Sub = {
  summary: "check integrity, the signature and the signer's trust",
  usage: "validate FILE [--trust FILE] [--require-trusted] [--json]",
  options: {
    ...TRUST_OPT,
    "require-trusted": flag("fail (exit 5) unless the signer's key is trusted here"),
    ...JSON_OUT,
  },
  notes: [
    "Two answers: does the signature verify for the key it names (signature_valid), and is that",
    "key trusted here (trusted: in the trust catalog or this home's own key, matched by key).",
    "Trust status: trusted, unknown_identity (valid, key not trusted), revoked, invalid_signature,",
    "hmac_verified or unverified (memoryOSS's shared-secret HMAC, with or without",
    "MEMORYOSS_AUDIT_HMAC_SECRET), unsigned. HMAC and unsigned are never trusted.",
    "Exit 0 when intact and the signature verifies (trusted or not) or there is none; 3 when the",
    "schema or an integrity hash fails; 5 when the signature does not verify, the key is revoked,",
    "or --require-trusted is given and the key is not trusted.",
  ],
  examples: ["memoryoss bundle validate proj.membundle.json --require-trusted --json"],
  positionals: 1,
  async run(p) {
    const file = p.positionals[0];
    const doc = await openFile(file, p);
    const report = validationReport(doc, p.values["require-trusted"] === true);
    if (p.values.json) {
      printJson({ file, ...report });
    } else {
      console.log(`${file}: ${doc.kind}, integrity ${doc.ok ? "valid" : "INVALID"}`);
      for (const e of doc.errors) console.log(`  error   ${e.path}: ${e.message}`);
      for (const w of doc.warnings) console.log(`  warning ${w.path}: ${w.message}`);
      if (doc.trust) console.log(`  trust   ${trustLine(doc.trust)}`);
      console.log(`  verdict ${report.verdict}`);
    }
    return rejectIfForbidden(report);
  },
};

const diff: Sub = {
  summary: "compare two bundles: header fields and contents added/removed",
  usage: "diff OLD NEW [--json]",
  options: { ...JSON_OUT },
  examples: ["memoryoss bundle diff old.membundle.json new.membundle.json"],
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
