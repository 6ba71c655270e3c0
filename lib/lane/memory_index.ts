/**
 * `MEMORY.md`, the index Claude Code loads first: entry lines `- [Title](file.md) — hook`,
 * plus whatever headings and notes people keep around them.
 */

/** Claude Code loads only this many lines of MEMORY.md. */
export const INDEX_LINE_LIMIT = 200;
/** The index file's name in a memory root. */
export const INDEX_FILE = "MEMORY.md";

/** One line of MEMORY.md that links to a `.md` file. */
export interface IndexEntry {
  /** 1-based line number. */
  line: number;
  /** The link target as written, e.g. `user_role.md` or `./user_role.md`. */
  target: string;
  /** The target as a file name in the root (`./` dropped), used for matching. */
  file: string;
  title: string;
  /** The text after the link (the "hook"), without the leading dash. */
  hook: string;
  /** The whole line as written. */
  text: string;
}

/** A parsed MEMORY.md. */
export interface MemoryIndex {
  /** Line count as Claude Code sees it (a trailing newline does not start a new line). */
  lineCount: number;
  crlf: boolean;
  entries: IndexEntry[];
  /** Lines that are neither entries, headings nor blank: notes to keep when regrouping. */
  notes: string[];
}

/**
 * Parse MEMORY.md. The target of a line is the text after its first `](` up to the next `)`,
 * and counts only when it ends in `.md`.
 *
 * @example
 * ```ts
 * parseMemoryIndex("- [Role](user_role.md) — owns ingest\n").entries[0].file; // "user_role.md"
 * ```
 */
export function parseMemoryIndex(raw: string): MemoryIndex {
  const noBom = raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
  const crlf = /^[^\n]*\r\n/.test(noBom);
  const text = noBom.replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const entries: IndexEntry[] = [];
  const notes: string[] = [];
  lines.forEach((line, i) => {
    const entry = parseEntry(line, i + 1);
    if (entry) entries.push(entry);
    else if (line.trim() !== "" && !/^\s*#/.test(line)) notes.push(line);
  });
  return { lineCount: lines.length, crlf, entries, notes };
}

function parseEntry(text: string, line: number): IndexEntry | null {
  const open = text.indexOf("](");
  if (open < 0) return null;
  const close = text.indexOf(")", open + 2);
  if (close < 0) return null;
  const target = text.slice(open + 2, close).trim();
  if (!target.endsWith(".md")) return null;
  const titleStart = text.lastIndexOf("[", open);
  const title = titleStart >= 0 ? text.slice(titleStart + 1, open) : "";
  const hook = text.slice(close + 1).replace(/^\s*[—–-]+\s*/, "").trim();
  let file = target;
  try {
    file = decodeURIComponent(target);
  } catch { /* keep as written */ }
  file = file.replace(/^\.\//, "");
  return { line, target, file, title, hook, text };
}

/** One group of the regrouped index. */
export interface IndexGroup {
  heading: string;
  lines: string[];
}

/**
 * Render an index: a title, kept notes, then one `## heading` per non-empty group.
 *
 * @example
 * ```ts
 * renderMemoryIndex([{ heading: "User", lines: ["- [Role](user_role.md) — x"] }], []);
 * // "# Memory index\n\n## User\n- [Role](user_role.md) — x\n"
 * ```
 */
export function renderMemoryIndex(groups: IndexGroup[], notes: string[], crlf = false): string {
  const out = ["# Memory index"];
  if (notes.length) out.push("", ...notes);
  for (const g of groups) {
    if (g.lines.length) out.push("", `## ${g.heading}`, ...g.lines);
  }
  const text = out.join("\n") + "\n";
  return crlf ? text.replace(/\n/g, "\r\n") : text;
}

/**
 * An entry line for a file that has none yet.
 *
 * @example
 * ```ts
 * entryLine("a.md", "A", "hook"); // "- [A](a.md) — hook"
 * ```
 */
export function entryLine(file: string, title: string, hook: string | null): string {
  const safeTitle = title.replace(/[\[\]]/g, "");
  return `- [${safeTitle}](${file})${hook ? ` — ${hook}` : ""}`;
}
