/** CLI: conformance — the memoryOSS conformance normalizer and verifier, offline. */
import { MemoryossError } from "../lib/errors/mod.ts";
import { formatPath, normalize, type NormalizeKind, verify } from "../lib/portable/mod.ts";
import { strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import {
  flag,
  invalid,
  JSON_OUT,
  readInput,
  runGroup,
  str,
  type Sub,
  writeOutput,
} from "./_portable.ts";

const KINDS: NormalizeKind[] = ["runtime_contract", "passport", "history"];

const normalizeSub: Sub = {
  summary: "check an artifact and print it as memoryOSS's reference normalizer does",
  usage: "normalize --kind runtime_contract|passport|history --input FILE [--output FILE] " +
    "[--typed]",
  options: {
    kind: str("runtime_contract | passport | history", "KIND"),
    input: str("artifact to read", "FILE", "i"),
    output: str("write here (default stdout)", "FILE", "o"),
    typed: flag("print the Rust runtime's typed struct instead (unknown fields dropped)"),
  },
  notes: [
    "Passport and history must verify first. Output: the received object, two-space pretty",
    "JSON and one newline, like the Python reference (json.dumps(indent=2, ensure_ascii=False)):",
    "additive fields, nulls, key order, timestamps and number lexemes (1.0) are kept.",
    "--typed: struct field order, unknown fields dropped, empty optional fields omitted, Rust",
    "number and timestamp forms.",
  ],
  examples: [
    "memoryoss conformance normalize --kind passport --input passport-bundle.json --output out.json",
    "memoryoss conformance normalize --kind passport --input newer.json --typed",
  ],
  positionals: 0,
  async run(p) {
    const kind = strValue(p.values.kind);
    const input = strValue(p.values.input);
    if (!kind || !(KINDS as string[]).includes(kind)) {
      throw invalid(`--kind must be one of ${KINDS.join(", ")}`);
    }
    if (!input) throw invalid("conformance normalize needs --input FILE");
    const artifact = await readInput(input);
    let text: string;
    try {
      text = normalize(kind as NormalizeKind, artifact, {
        view: p.values.typed ? "typed" : "reference",
      });
    } catch (e) {
      // A file that fails its integrity check is bad input (exit 3), as for `verify`.
      if (e instanceof MemoryossError && e.code === "INTEGRITY") {
        throw new MemoryossError("INVALID_INPUT", e.message, e.path);
      }
      throw e;
    }
    await writeOutput(strValue(p.values.output), text);
    return 0;
  },
};

const verifySub: Sub = {
  summary: "verify any artifact's schema and integrity hashes",
  usage: "verify FILE [--json]",
  options: { ...JSON_OUT },
  notes: ["Exit 0 when it verifies, 3 otherwise."],
  positionals: 1,
  async run(p) {
    const v = verify(await readInput(p.positionals[0]));
    const issues = (xs: typeof v.errors) => xs.map((i) => ({ ...i, at: formatPath(i.path) }));
    if (p.values.json) {
      printJson({
        ok: v.ok,
        kind: v.kind,
        errors: issues(v.errors),
        warnings: issues(v.warnings),
        integrity: v.integrity ?? null,
      });
    } else {
      console.log(`${p.positionals[0]}: ${v.kind}, ${v.ok ? "ok" : "INVALID"}`);
      for (const e of v.errors) console.log(`  error   ${formatPath(e.path)}: ${e.message}`);
      for (const w of v.warnings) console.log(`  warning ${formatPath(w.path)}: ${w.message}`);
    }
    return v.ok ? 0 : 3;
  },
};

/** `memoryoss conformance …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "conformance",
    "memoryOSS conformance kit: normalize and verify artifacts",
    { normalize: normalizeSub, verify: verifySub },
    args,
    g,
  );
}
