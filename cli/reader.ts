/**
 * CLI: reader — open or diff any memoryOSS artifact offline. Needs only read permission
 * (write for -o); with the environment readable it also finds `<home>/trust.json`.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  admission,
  diffDocuments,
  renderDiffHtml,
  renderDiffText,
  renderHtml,
  renderText,
} from "../lib/portable/mod.ts";
import { type Parsed, strValue } from "./_args.ts";
import type { Globals } from "./_io.ts";
import {
  invalid,
  openFile,
  OUTPUT,
  readInput,
  runGroup,
  str,
  type Sub,
  TRUST_OPT,
  trustFor,
  writeOutput,
} from "./_portable.ts";

const FORMAT = { format: str("text (default) | json | html", "FORMAT", "f") };

function formatOf(p: Parsed): "text" | "json" | "html" {
  const f = strValue(p.values.format) ?? (p.values.json ? "json" : "text");
  if (f !== "text" && f !== "json" && f !== "html") {
    throw invalid(`--format must be text, json or html, got '${f}'`);
  }
  return f;
}

/** `value` in `format` (JSON, an HTML page, or text) to `-o FILE` or stdout. */
async function writeFormatted<T>(
  p: Parsed,
  format: "text" | "json" | "html",
  value: T,
  html: (v: T) => string,
  text: (v: T) => string,
): Promise<void> {
  const out = format === "json"
    ? JSON.stringify(value, null, 2) + "\n"
    : format === "html"
    ? html(value)
    : text(value) + "\n";
  await writeOutput(strValue(p.values.output), out);
}

const JSON_FLAG = { json: { type: "boolean", description: "same as --format json" } as const };

const open: Sub = {
  summary: "show an artifact: kind, integrity, trust, memories, lineage",
  usage: "open FILE [--format text|json|html] [-o FILE] [--trust FILE]",
  options: { ...FORMAT, ...OUTPUT, ...TRUST_OPT, ...JSON_FLAG },
  notes: [
    "Reads an envelope, a bare passport or history, or a runtime contract. Works offline with",
    "no config or home. The signature is checked against the key the envelope carries; trust",
    "comes from --trust FILE or the home's trust.json when the environment is readable. Exit 0",
    "when the artifact verifies, 1 when it was shown with integrity problems, 5 (after showing",
    "it) when its signature does not verify or its key is revoked. HTML output is one",
    "self-contained page (no scripts, no external assets).",
  ],
  examples: ["memoryoss reader open proj.membundle.json --format html -o proj.html"],
  positionals: 1,
  async run(p) {
    const file = p.positionals[0];
    const format = formatOf(p);
    const doc = await openFile(file, p);
    await writeFormatted(p, format, doc, renderHtml, renderText);
    const a = admission(doc);
    if (a.verdict === "rejected") throw new MemoryossError("FORBIDDEN", a.message);
    return doc.ok ? 0 : 1;
  },
};

const diff: Sub = {
  summary: "compare two artifacts memory by memory",
  usage: "diff OLD NEW [--format text|json|html] [-o FILE] [--trust FILE]",
  options: { ...FORMAT, ...OUTPUT, ...TRUST_OPT, ...JSON_FLAG },
  examples: ["memoryoss reader diff old.json new.json --format html -o diff.html"],
  positionals: 2,
  async run(p) {
    const [a, b] = p.positionals;
    const format = formatOf(p);
    const d = await diffDocuments(a, await readInput(a), b, await readInput(b), await trustFor(p));
    await writeFormatted(p, format, d, renderDiffHtml, renderDiffText);
    return 0;
  },
};

/** `memoryoss reader …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "reader",
    "offline viewer for memoryOSS artifacts",
    { open, diff },
    args,
    g,
  );
}
