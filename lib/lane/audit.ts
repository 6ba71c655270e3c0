/**
 * `lane audit`: read a memory root, find similar pairs, apply the rules and shape the report.
 * Deterministic and offline; no LLM is involved.
 */
import { createEmbedder, type Embedder } from "../embed/mod.ts";
import { type MemoryFolder, readMemoryFolder } from "./folder.ts";
import { auditRules, type Finding } from "./rules.ts";
import { findSimilarPairs, type SimilarityOptions } from "./similarity.ts";

/**
 * The audit report. The first keys are cmmd's (spec §2), in cmmd's order, so tools written
 * for `cmmd audit --json` keep working; `total_issues` and `issues` carry codes and lines.
 */
export interface AuditReport {
  root: string;
  file_count: number;
  memory_md_lines: number;
  memory_md_oversize: boolean;
  missing_frontmatter: string[];
  invalid_type: { file: string; got: string }[];
  dangling_index_entries: string[];
  missing_from_index: string[];
  broken_wikilinks: { from: string; to_slug: string }[];
  missing_why_or_how: string[];
  duplicate_candidates: { a: string; b: string; reason: string }[];
  root_exists: boolean;
  memory_md_exists: boolean;
  total_issues: number;
  fixable_issues: number;
  issues: Finding[];
}

/** Dependencies of an audit; the embedder defaults to the builtin one. */
export interface AuditOptions {
  embedder?: Embedder;
  similarity?: SimilarityOptions;
}

let builtin: Promise<Embedder> | null = null;

/** The builtin embedder, created once per process (the tick loop audits every interval). */
function defaultEmbedder(): Promise<Embedder> {
  const made = builtin ?? createEmbedder({ provider: "builtin" });
  builtin = made;
  made.catch(() => {
    if (builtin === made) builtin = null; // let the next audit try again
  });
  return made;
}

/**
 * Audit a folder that was already read.
 *
 * @example
 * ```ts
 * const report = await auditFolder(await readMemoryFolder(root));
 * report.total_issues;
 * ```
 */
export async function auditFolder(
  folder: MemoryFolder,
  opts: AuditOptions = {},
): Promise<AuditReport> {
  const embedder = opts.embedder ?? await defaultEmbedder();
  const similar = folder.files.length > 1
    ? await findSimilarPairs(folder.files, embedder, opts.similarity)
    : [];
  return buildReport(folder, auditRules(folder, similar));
}

/**
 * Read and audit a memory root. A root that is not a directory gives an empty report.
 *
 * @example
 * ```ts
 * const report = await auditRoot("/tmp/memory");
 * console.log(formatAuditText(report));
 * ```
 */
export async function auditRoot(root: string, opts: AuditOptions = {}): Promise<AuditReport> {
  return await auditFolder(await readMemoryFolder(root), opts);
}

/**
 * Shape findings into the report (pure).
 *
 * @example
 * ```ts
 * buildReport(folder, auditRules(folder, [])).total_issues;
 * ```
 */
export function buildReport(folder: MemoryFolder, issues: Finding[]): AuditReport {
  const of = (code: Finding["code"]) => issues.filter((i) => i.code === code);
  return {
    root: folder.root,
    file_count: folder.files.length,
    memory_md_lines: folder.index?.lineCount ?? 0,
    memory_md_oversize: of("memory_md_oversize").length > 0,
    missing_frontmatter: of("missing_frontmatter").map((i) => i.file),
    invalid_type: of("invalid_type").map((i) => ({ file: i.file, got: i.got ?? "" })),
    dangling_index_entries: of("dangling_index_entries").map((i) => i.target ?? ""),
    missing_from_index: of("missing_from_index").map((i) => i.file),
    broken_wikilinks: of("broken_wikilinks").map((i) => ({ from: i.file, to_slug: i.to_slug! })),
    missing_why_or_how: of("missing_why_or_how").map((i) => i.file),
    duplicate_candidates: of("duplicate_candidates").map((i) => ({
      a: i.a!,
      b: i.b!,
      reason: i.reason!,
    })),
    root_exists: folder.exists,
    memory_md_exists: folder.index !== null,
    total_issues: issues.length,
    fixable_issues: issues.filter((i) => i.fixable).length,
    issues,
  };
}

/**
 * The one-line summary, cmmd's format plus the codes cmmd does not have.
 *
 * @example
 * ```ts
 * auditSummary(report);
 * // "files=8 mem_md_lines=9 issues=4: missing_fm=1 bad_type=0 dangling=1 unindexed=0 …"
 * ```
 */
export function auditSummary(r: AuditReport): string {
  const count = (code: Finding["code"]) => r.issues.filter((i) => i.code === code).length;
  return `files=${r.file_count} mem_md_lines=${r.memory_md_lines} issues=${r.total_issues}: ` +
    `missing_fm=${r.missing_frontmatter.length} bad_type=${r.invalid_type.length} ` +
    `dangling=${r.dangling_index_entries.length} unindexed=${r.missing_from_index.length} ` +
    `broken_links=${r.broken_wikilinks.length} missing_why=${r.missing_why_or_how.length} ` +
    `dupes=${r.duplicate_candidates.length} no_index=${count("memory_md_missing")} ` +
    `oversize=${count("memory_md_oversize")} no_desc=${count("missing_description")} ` +
    `repeat_index=${count("duplicate_index_entries")} not_yaml=${count("frontmatter_not_yaml")}`;
}

/**
 * Text report: the root, the summary line, then one `✗`/`⚠` line per finding with
 * `file:line code`.
 *
 * @example
 * ```ts
 * formatAuditText(report).split("\n")[2]; // "✗ MEMORY.md:7 dangling_index_entries: …"
 * ```
 */
export function formatAuditText(r: AuditReport): string {
  const lines = [`memory root: ${r.root}${r.root_exists ? "" : " (not found)"}`, auditSummary(r)];
  for (const i of r.issues) {
    const where = i.line ? `${i.file}:${i.line}` : i.file;
    const mark = i.severity === "warning" ? "⚠" : "✗";
    lines.push(`${mark} ${where} ${i.code}: ${i.message}${i.fixable ? " [fixable]" : ""}`);
    if (i.suggestion) lines.push(`    suggestion: ${i.suggestion}`);
  }
  return lines.join("\n");
}
