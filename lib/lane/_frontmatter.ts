/**
 * Frontmatter framing shared by memory files and skill files: BOM and CRLF tolerant, YAML via
 * the `yaml` package, with a line-scan fallback so one stray colon does not hide a file's name.
 */
import { parse as parseYaml } from "yaml";

/** A text split at its frontmatter delimiters (no YAML parsing). */
export interface Split {
  /** The file started with a UTF-8 byte order mark. */
  bom: boolean;
  /** The file uses CRLF line endings (at least its first line does). */
  crlf: boolean;
  /** The text without BOM, with LF line endings. */
  text: string;
  /** Frontmatter found: an opening `---` line and a closing `---` line. */
  present: boolean;
  /** Raw frontmatter lines (between the delimiters). */
  fmLines: string[];
  /** Line number of the first body line. */
  bodyStartLine: number;
  /** What follows the closing `---` line (the whole text when there is no frontmatter). */
  body: string;
}

/** A text split into frontmatter and body, with 1-based line numbers into the original. */
export interface Framed extends Split {
  /** Parsed frontmatter (empty object when absent or unparsable). */
  data: Record<string, unknown>;
  /** Why the YAML did not parse (the line scan filled `data` instead). */
  yamlError: string | null;
}

/**
 * The one frontmatter splitter: a BOM is dropped, CRLF/CR become LF, and a block opens with
 * a `---` line at the top and closes at the next `---` line (trailing spaces allowed).
 *
 * @example
 * ```ts
 * splitFrontmatter("\uFEFF---\r\nname: x\r\n---\r\nhi\r\n").body; // "hi\n"
 * ```
 */
export function splitFrontmatter(raw: string): Split {
  const bom = raw.startsWith("\uFEFF");
  const noBom = bom ? raw.slice(1) : raw;
  const crlf = /^[^\n]*\r\n/.test(noBom);
  const text = noBom.replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const absent = { bom, crlf, text, present: false, fmLines: [], bodyStartLine: 1, body: text };
  if (lines[0]?.trimEnd() !== "---") return absent;
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "---");
  if (close < 0) return absent;
  return {
    bom,
    crlf,
    text,
    present: true,
    fmLines: lines.slice(1, close),
    bodyStartLine: close + 2,
    body: lines.slice(close + 1).join("\n"),
  };
}

/**
 * Split `raw` into frontmatter and body, and parse the frontmatter.
 *
 * @example
 * ```ts
 * frame("\uFEFF---\r\nname: x\r\n---\r\nhi\r\n").data.name; // "x"
 * ```
 */
export function frame(raw: string): Framed {
  const split = splitFrontmatter(raw);
  if (!split.present) return { ...split, data: {}, yamlError: null };
  const { data, error } = parseFrontmatter(split.fmLines);
  return { ...split, data, yamlError: error };
}

function parseFrontmatter(
  lines: string[],
): { data: Record<string, unknown>; error: string | null } {
  try {
    const v = parseYaml(lines.join("\n"));
    if (v === null || v === undefined) return { data: {}, error: null };
    if (typeof v === "object" && !Array.isArray(v)) {
      return { data: v as Record<string, unknown>, error: null };
    }
    return { data: scanKeys(lines), error: "frontmatter is not a key: value mapping" };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { data: scanKeys(lines), error: msg };
  }
}

/** cmmd-style line scan: top-level `key: value` plus a nested `metadata:` → `type:`. */
function scanKeys(lines: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let inMetadata = false;
  for (const line of lines) {
    const top = line.match(/^([A-Za-z_][\w-]*):\s*(.*)$/);
    if (top) {
      inMetadata = top[1] === "metadata" && top[2] === "";
      if (inMetadata) out.metadata = {};
      else out[top[1]] = unquote(top[2]);
      continue;
    }
    const nested = inMetadata && line.match(/^\s+type:\s*(.*)$/);
    if (nested) (out.metadata as Record<string, unknown>).type = unquote(nested[1]);
  }
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/**
 * A frontmatter value as trimmed text; null when absent, empty or not a scalar.
 *
 * @example
 * ```ts
 * textValue(" x "); // "x"
 * ```
 */
export function textValue(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

/**
 * The 1-based file line of the first frontmatter line that sets `key` (any indentation).
 *
 * @example
 * ```ts
 * keyLine(frame("---\nname: a\n---\n"), "name"); // 2
 * ```
 */
export function keyLine(f: Framed, key: string): number | null {
  const re = new RegExp(`^\\s*${key}\\s*:`);
  const i = f.fmLines.findIndex((l) => re.test(l));
  return i < 0 ? null : i + 2;
}
