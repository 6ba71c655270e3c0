/**
 * Markdown normalisation for the claude_project and cursor_rules adapters (memoryOSS §5.6),
 * and the two markdown exports. Pure.
 *
 * @module
 */
import { splitFrontmatter } from "../lib/lane/mod.ts";

/** Most items one markdown artifact yields. */
export const MAX_ITEMS = 24;

const FRONT_MATTER_KEY = /^(?:description|globs|alwaysApply|files|trigger):/;
const RULE_WORDS = /\b(?:must not|must|never|always|do not|don't|should|prefer|required)\b/i;
const LIST_ITEM = /^(?:[-*]|\d+\.)\s+(.*)$/;
/** Lines our own exports add around the items; dropped so export → import is stable. */
const SCAFFOLDING = [
  /^memoryoss project context\.?$/i,
  /^memoryoss synchronized rules\.?$/i,
  /^generated from (?:memoryoss )?namespace\b/i,
  /^current context\.?$/i,
  /^provenance\.?$/i,
  /^exported \d+ memor(?:y|ies) from namespace\b/i,
];

/** Options for {@link normalizeMarkdown}. */
export interface NormalizeOptions {
  /** Cursor rules: lines with must / never / always / should / prefer… are items too. */
  ruleBias?: boolean;
}

/**
 * Text without a leading YAML front matter block (`---` … `---`), BOM dropped and line
 * endings LF (lib/lane's `splitFrontmatter`, the one splitter).
 *
 * @example
 * ```ts
 * stripFrontMatter("---\r\na: 1\r\n---\r\nbody\r\n"); // "body\n"
 * ```
 */
export function stripFrontMatter(text: string): string {
  return splitFrontmatter(text).body;
}

/**
 * One item cleaned: markup characters dropped, `>`/`#` as spaces, spaces collapsed, dashes
 * trimmed, a final period added; null when shorter than 8 characters.
 *
 * @example
 * ```ts
 * cleanItem("**Always** use `pnpm`"); // "Always use pnpm."
 * ```
 */
export function cleanItem(item: string): string | null {
  const s = item.replace(/[`*_\[\]]/g, "").replace(/[>#]/g, " ").replace(/\s+/g, " ").trim()
    .replace(/^-+|-+$/g, "").trim();
  if (s.length < 8) return null;
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * The memory items of a markdown artifact: list items, rule-like lines (with `ruleBias`)
 * and, until the first list, paragraphs; cleaned, scaffolding dropped, deduplicated
 * case-insensitively, at most {@link MAX_ITEMS}.
 *
 * @example
 * ```ts
 * normalizeMarkdown("# Rules\n- Use pnpm for installs\n- Run tests before push\n");
 * // ["Use pnpm for installs.", "Run tests before push."]
 * ```
 */
export function normalizeMarkdown(text: string, o: NormalizeOptions = {}): string[] {
  const t = stripFrontMatter(text);
  const lines: string[] = [];
  let fence = false;
  for (const line of t.split("\n")) {
    if (/^\s*```/.test(line)) fence = !fence;
    else if (!fence) lines.push(line);
  }
  const raw: string[] = [];
  let paragraph: string[] = [];
  let listSeen = false;
  const flush = () => {
    if (paragraph.length && !listSeen) raw.push(paragraph.join(" "));
    paragraph = [];
  };
  for (const line of lines) {
    const s = line.trim();
    if (s === "" || /^#{1,6}(?:\s|$)/.test(s)) {
      flush();
      continue;
    }
    if (FRONT_MATTER_KEY.test(s)) continue;
    const li = LIST_ITEM.exec(s);
    if (li) {
      flush();
      listSeen = true;
      raw.push(li[1]);
    } else if (o.ruleBias && RULE_WORDS.test(s)) {
      flush();
      raw.push(s);
    } else paragraph.push(s);
  }
  flush();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of raw) {
    const item = cleanItem(r);
    if (!item || SCAFFOLDING.some((re) => re.test(item))) continue;
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
    if (out.length === MAX_ITEMS) break;
  }
  return out;
}

/** One memory as a bullet: on one line, so a multi-line memory stays one item. */
function bullet(content: string): string {
  return `- ${content.replace(/\s+/g, " ").trim()}`;
}

/**
 * The claude_project export: a project-knowledge markdown file.
 *
 * @example
 * ```ts
 * renderClaudeProject("proj", ["Use pnpm."], "2026-03-13T09:00:00.000Z");
 * ```
 */
export function renderClaudeProject(namespace: string, contents: string[], at: string): string {
  return [
    "# memoryOSS Project Context",
    "",
    `Generated from namespace \`${namespace}\` by memoryoss at ${at}.`,
    "",
    "## Current context",
    "",
    ...contents.map(bullet),
    "",
    "## Provenance",
    "",
    `Exported ${contents.length} memor${contents.length === 1 ? "y" : "ies"} from namespace ` +
    `\`${namespace}\` (memoryoss.runtime.v1alpha1).`,
    "",
  ].join("\n");
}

/**
 * The cursor_rules export: an `.mdc` rule file with front matter.
 *
 * @example
 * ```ts
 * renderCursorRules("proj", ["Always run tests."]);
 * ```
 */
export function renderCursorRules(namespace: string, contents: string[]): string {
  return [
    "---",
    `description: Generated from memoryOSS namespace ${namespace}`,
    'globs: ["**/*"]',
    "alwaysApply: false",
    "---",
    "",
    "# memoryOSS synchronized rules",
    "",
    ...contents.map(bullet),
    "",
  ].join("\n");
}
