/**
 * The audit rules: pure functions from a read folder (and the similar pairs found for it) to
 * findings with stable codes, a file and a line. cmmd's rules (spec §2) plus ours: a missing
 * index, markers that are only mentioned in prose, reworded duplicates.
 */
import type { MemoryFolder } from "./folder.ts";
import { isMemoryType, type MemoryFile, TYPES_NEEDING_WHY_HOW } from "./memory_file.ts";
import { INDEX_FILE, INDEX_LINE_LIMIT } from "./memory_index.ts";
import { planIndex } from "./fix_plan.ts";
import type { SimilarPair } from "./similarity.ts";

/** Stable issue codes (part of the `lane audit --json` contract). */
export const ISSUE_CODES = [
  "memory_md_missing",
  "memory_md_oversize",
  "missing_frontmatter",
  "frontmatter_not_yaml",
  "missing_description",
  "invalid_type",
  "missing_why_or_how",
  "dangling_index_entries",
  "duplicate_index_entries",
  "missing_from_index",
  "broken_wikilinks",
  "duplicate_candidates",
] as const;
/** One of {@link ISSUE_CODES}. */
export type IssueCode = typeof ISSUE_CODES[number];

/** One audit finding. */
export interface Finding {
  code: IssueCode;
  /** `warning` for oversize, duplicates and YAML quirks (⚠ in text), `error` otherwise (✗). */
  severity: "error" | "warning";
  /** The file the finding is in, relative to the root. */
  file: string;
  /** 1-based line, or null when the finding is about the whole file. */
  line: number | null;
  message: string;
  /** `lane fix` repairs it without an LLM. */
  fixable: boolean;
  target?: string;
  got?: string;
  to_slug?: string;
  missing?: ("why" | "how")[];
  in_prose_lines?: number[];
  a?: string;
  b?: string;
  reason?: string;
  score?: number;
  suggestion?: string;
}

const WARNINGS: ReadonlySet<IssueCode> = new Set([
  "memory_md_oversize",
  "duplicate_candidates",
  "frontmatter_not_yaml",
]);

/** What `lane fix` repairs (oversize too, when the regrouped index fits). */
const FIXABLE: ReadonlySet<IssueCode> = new Set([
  "memory_md_missing",
  "dangling_index_entries",
  "duplicate_index_entries",
  "missing_from_index",
]);

function finding(
  code: IssueCode,
  file: string,
  line: number | null,
  message: string,
  more: Partial<Finding> = {},
): Finding {
  const severity = WARNINGS.has(code) ? "warning" : "error";
  return { code, severity, file, line, message, fixable: FIXABLE.has(code), ...more };
}

/**
 * Every rule over a folder; findings sorted by file, line and code.
 *
 * @example
 * ```ts
 * const findings = auditRules(await readMemoryFolder(root), []);
 * findings.filter((f) => f.fixable).length;
 * ```
 */
export function auditRules(folder: MemoryFolder, similar: SimilarPair[]): Finding[] {
  if (!folder.exists) return [];
  const out: Finding[] = [...indexRules(folder)];
  const valid = folder.files.filter((f) => f.hasFrontmatter && f.name);
  const known = new Set(valid.flatMap((f) => [f.name!, f.file.replace(/\.md$/, "")]));
  for (const f of folder.files) out.push(...fileRules(f, known));
  out.push(...duplicateRules(folder.files, similar));
  return out.sort((x, y) =>
    cmp(x.file, y.file) || (x.line ?? 0) - (y.line ?? 0) || cmp(x.code, y.code)
  );
}

/** Code-point order, so results do not depend on the locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function indexRules(folder: MemoryFolder): Finding[] {
  const idx = folder.index;
  if (!idx) {
    return folder.files.length
      ? [
        finding(
          "memory_md_missing",
          INDEX_FILE,
          null,
          `no ${INDEX_FILE}: Claude Code has no index of ${folder.files.length} memory file(s)`,
        ),
      ]
      : [];
  }
  const out: Finding[] = [];
  if (idx.lineCount > INDEX_LINE_LIMIT) {
    const fits = planIndex(folder)?.fits ?? false;
    out.push(finding(
      "memory_md_oversize",
      INDEX_FILE,
      INDEX_LINE_LIMIT + 1,
      `${INDEX_FILE} has ${idx.lineCount} lines; Claude Code loads only the first ${INDEX_LINE_LIMIT}`,
      { fixable: fits },
    ));
  }
  const onDisk = new Set(folder.files.map((f) => f.file));
  const seen = new Map<string, number>();
  for (const e of idx.entries) {
    if (!onDisk.has(e.file)) {
      out.push(
        finding(
          "dangling_index_entries",
          INDEX_FILE,
          e.line,
          `index entry points to ${e.target}, which is not in the folder`,
          { target: e.target },
        ),
      );
    } else if (seen.has(e.file)) {
      out.push(
        finding(
          "duplicate_index_entries",
          INDEX_FILE,
          e.line,
          `${e.target} is already indexed on line ${seen.get(e.file)}`,
          { target: e.target },
        ),
      );
    } else seen.set(e.file, e.line);
  }
  for (const f of folder.files) {
    if (!seen.has(f.file)) {
      out.push(
        finding("missing_from_index", f.file, null, `${f.file} has no line in ${INDEX_FILE}`),
      );
    }
  }
  return out;
}

function fileRules(f: MemoryFile, known: ReadonlySet<string>): Finding[] {
  if (!f.hasFrontmatter || !f.name) {
    const why = !f.hasFrontmatter
      ? "no frontmatter (the file must open with a --- line and close it with another)"
      : "frontmatter has no name";
    return [finding("missing_frontmatter", f.file, f.hasFrontmatter ? f.lines.name ?? 1 : 1, why)];
  }
  const out: Finding[] = [];
  if (f.yamlError) {
    out.push(
      finding(
        "frontmatter_not_yaml",
        f.file,
        1,
        `frontmatter is not valid YAML (${f.yamlError}); read by line scan`,
      ),
    );
  }
  if (!f.description) {
    out.push(
      finding(
        "missing_description",
        f.file,
        f.lines.description ?? 1,
        "frontmatter has no description, so the entry cannot be matched to a task",
      ),
    );
  }
  if (f.type && !isMemoryType(f.type)) {
    out.push(
      finding(
        "invalid_type",
        f.file,
        f.lines.type,
        `type '${f.type}' is not one of user, feedback, project, reference`,
        { got: f.type },
      ),
    );
  } else if (f.type && TYPES_NEEDING_WHY_HOW.has(f.type)) {
    const missing = [
      ...(f.why.anchored.length ? [] : ["why" as const]),
      ...(f.how.anchored.length ? [] : ["how" as const]),
    ];
    if (missing.length) out.push(whyHowFinding(f, missing));
  }
  for (const link of f.wikilinks) {
    if (!known.has(link.slug)) {
      out.push(
        finding("broken_wikilinks", f.file, link.line, `[[${link.slug}]] matches no memory name`, {
          to_slug: link.slug,
        }),
      );
    }
  }
  return out;
}

function whyHowFinding(f: MemoryFile, missing: ("why" | "how")[]): Finding {
  const label = { why: "**Why:**", how: "**How to apply:**" };
  const inProse = [
    ...(missing.includes("why") ? f.why.inProse : []),
    ...(missing.includes("how") ? f.how.inProse : []),
  ].sort((a, b) => a - b);
  const lines = [...new Set(inProse)];
  const what = missing.map((m) => label[m]).join(" and ");
  const note = lines.length ? ` (only mentioned inside prose on line ${lines.join(", ")})` : "";
  return finding(
    "missing_why_or_how",
    f.file,
    lines[0] ?? f.bodyStartLine,
    `${f.type} entry has no ${what} line${missing.length > 1 ? "s" : ""} of its own${note}`,
    { missing, in_prose_lines: lines },
  );
}

/**
 * cmmd's description key: lowercase, alphanumerics and whitespace only, runs collapsed.
 *
 * @example
 * ```ts
 * normalizeDescription("Compliance-driven,  not X"); // "compliancedriven not x"
 * ```
 */
export function normalizeDescription(d: string): string {
  return d.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, "").replace(/\s+/g, " ").trim();
}

function duplicateRules(files: MemoryFile[], similar: SimilarPair[]): Finding[] {
  const byFile = new Map(files.map((f) => [f.file, f]));
  const pairs = new Map<string, { a: string; b: string; reason: string; score?: number }>();
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [x, y] = [
        normalizeDescription(files[i].description ?? ""),
        normalizeDescription(files[j].description ?? ""),
      ];
      if (new TextEncoder().encode(x).length >= 16 && x === y) {
        pairs.set(`${files[i].file}\0${files[j].file}`, {
          a: files[i].file,
          b: files[j].file,
          reason: "matching description text",
        });
      }
    }
  }
  for (const p of similar) {
    const key = `${p.a}\0${p.b}`;
    if (!pairs.has(key)) {
      pairs.set(key, {
        a: p.a,
        b: p.b,
        reason: `similar ${p.basis}`,
        score: Math.round(p.score * 100) / 100,
      });
    }
  }
  return [...pairs.values()].map((p) => {
    const [fa, fb] = [byFile.get(p.a)!, byFile.get(p.b)!];
    const [keep, drop] = fa.body.trim().length >= fb.body.trim().length ? [fa, fb] : [fb, fa];
    const suggestion =
      `merge ${drop.file} into ${keep.file}: fold any detail only ${drop.file} has into ${keep.file}, then prune ${drop.file} and drop its ${INDEX_FILE} line`;
    const more = {
      a: p.a,
      b: p.b,
      reason: p.reason,
      suggestion,
      ...(p.score !== undefined ? { score: p.score } : {}),
    };
    return finding(
      "duplicate_candidates",
      p.a,
      fa.lines.description,
      `${p.a} and ${p.b} look like the same memory (${p.reason})`,
      more,
    );
  });
}
