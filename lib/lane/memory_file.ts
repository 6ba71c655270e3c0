/**
 * The one parser of Claude Code memory files (`<slug>/memory/*.md`): frontmatter, body,
 * `[[wikilinks]]` and the Why / How-to-apply markers. The audit and the claude_memory import
 * adapter both read memory files through {@link parseMemoryFile}.
 */
import { frame, keyLine, textValue } from "./_frontmatter.ts";

/** Types Claude Code files memories under. */
export const MEMORY_TYPES = ["user", "feedback", "project", "reference"] as const;
/** One of {@link MEMORY_TYPES}. */
export type MemoryType = typeof MEMORY_TYPES[number];

/** Types whose body must carry a Why line and a How-to-apply line. */
export const TYPES_NEEDING_WHY_HOW: ReadonlySet<string> = new Set(["feedback", "project"]);

/** A `[[slug]]` occurrence in a body. */
export interface WikiLink {
  slug: string;
  line: number;
}

/** Where a marker was found: on its own line, or only mentioned inside prose. */
export interface MarkerHits {
  /** Lines where the marker starts the line (after an optional list bullet or quote). */
  anchored: number[];
  /** Lines where the marker text appears mid-line only. */
  inProse: number[];
}

/** A parsed memory file. Line numbers are 1-based and refer to the file as written. */
export interface MemoryFile {
  /** File name relative to the memory root, e.g. `user_role.md`. */
  file: string;
  bom: boolean;
  crlf: boolean;
  hasFrontmatter: boolean;
  /** YAML error text when the frontmatter only parsed by line scan. */
  yamlError: string | null;
  name: string | null;
  description: string | null;
  /** The declared type, as written (may be outside {@link MEMORY_TYPES}). */
  type: string | null;
  /** Where the type came from: top-level `type:` or nested `metadata.type`. */
  typeSource: "top" | "metadata" | null;
  /** Frontmatter keys other than name, description, type and metadata (e.g. originSessionId). */
  extra: Record<string, unknown>;
  lines: {
    frontmatter: number;
    name: number | null;
    description: number | null;
    type: number | null;
  };
  body: string;
  bodyStartLine: number;
  wikilinks: WikiLink[];
  why: MarkerHits;
  how: MarkerHits;
}

const KNOWN_KEYS = new Set(["name", "description", "type", "metadata"]);

// A marker counts when it opens its line: `**Why:**`, `**Why**:` or `Why:`, optionally after a
// list bullet or blockquote. The same words later in a sentence are only a mention.
const WHY_ANCHORED = /^(?:[-*+>]\s+)?(?:\*\*Why:\*\*|\*\*Why\*\*:|Why:)/i;
const HOW_ANCHORED =
  /^(?:[-*+>]\s+)?(?:\*\*How to apply:\*\*|\*\*How to apply\*\*:|How to apply:)/i;
const WHY_MENTION = /\*\*Why:\*\*|\*\*Why\*\*:|\bWhy:/i;
const HOW_MENTION = /\*\*How to apply:\*\*|\*\*How to apply\*\*:|\bHow to apply:/i;

/**
 * Parse one memory file's text. Never throws: problems show up as absent fields.
 *
 * @example
 * ```ts
 * const m = parseMemoryFile("a.md", "---\nname: a\ntype: user\n---\nSee [[b]].\n");
 * m.type; // "user"
 * m.wikilinks; // [{ slug: "b", line: 5 }]
 * ```
 */
export function parseMemoryFile(file: string, raw: string): MemoryFile {
  const f = frame(raw);
  const d = f.data;
  const meta = d.metadata && typeof d.metadata === "object" && !Array.isArray(d.metadata)
    ? d.metadata as Record<string, unknown>
    : null;
  const topType = textValue(d.type);
  const metaType = meta ? textValue(meta.type) : null;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!KNOWN_KEYS.has(k)) extra[k] = v;
  const bodyLines = f.body.split("\n");
  const { why, how } = findMarkers(bodyLines, f.bodyStartLine);
  return {
    file,
    bom: f.bom,
    crlf: f.crlf,
    hasFrontmatter: f.present,
    yamlError: f.yamlError,
    name: textValue(d.name),
    description: textValue(d.description),
    type: topType ?? metaType,
    typeSource: topType ? "top" : metaType ? "metadata" : null,
    extra,
    lines: {
      frontmatter: 1,
      name: keyLine(f, "name"),
      description: keyLine(f, "description"),
      type: keyLine(f, "type"),
    },
    body: f.body,
    bodyStartLine: f.bodyStartLine,
    wikilinks: findWikilinks(bodyLines, f.bodyStartLine),
    why,
    how,
  };
}

/** Body lines outside fenced code blocks, with their file line numbers. */
function proseLines(lines: string[], firstLine: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence = false;
  lines.forEach((text, i) => {
    if (text.trim().startsWith("```")) fence = !fence;
    else if (!fence) out.push({ text, line: firstLine + i });
  });
  return out;
}

function findWikilinks(lines: string[], firstLine: number): WikiLink[] {
  const links: WikiLink[] = [];
  for (const { text, line } of proseLines(lines, firstLine)) {
    const noCode = text.replace(/`[^`]*`/g, "");
    for (const m of noCode.matchAll(/\[\[([^\]]+)\]\]/g)) {
      // Obsidian-style `[[slug|label]]` and `[[slug#part]]` still point at `slug`.
      const slug = m[1].split(/[|#]/)[0].trim();
      if (slug) links.push({ slug, line });
    }
  }
  return links;
}

function findMarkers(lines: string[], firstLine: number): { why: MarkerHits; how: MarkerHits } {
  const why: MarkerHits = { anchored: [], inProse: [] };
  const how: MarkerHits = { anchored: [], inProse: [] };
  for (const { text, line } of proseLines(lines, firstLine)) {
    const t = text.trim();
    if (WHY_ANCHORED.test(t)) why.anchored.push(line);
    else if (WHY_MENTION.test(t)) why.inProse.push(line);
    if (HOW_ANCHORED.test(t)) how.anchored.push(line);
    else if (HOW_MENTION.test(t)) how.inProse.push(line);
  }
  return { why, how };
}

/**
 * True when `type` is one of the four Claude Code memory types.
 *
 * @example
 * ```ts
 * isMemoryType("feedback"); // true
 * ```
 */
export function isMemoryType(type: string): type is MemoryType {
  return (MEMORY_TYPES as readonly string[]).includes(type);
}
