/**
 * Managed blocks in text files (Markdown, TOML, rules): our lines live between a begin and an
 * end marker line; everything outside the markers belongs to the user and is kept byte for
 * byte. Inserting appends after one blank line; removing undoes exactly that.
 */
import { MemoryossError } from "../errors/mod.ts";

/** The two marker lines of one kind of block. */
export interface Markers {
  begin: string;
  end: string;
}

/** Where a block sits: `start` is its first byte, `end` is after its end line's newline. */
export interface BlockSpan {
  start: number;
  end: number;
}

/**
 * Every block in `text`, in order. Throws CONFLICT for a begin marker without an end marker
 * (the user must fix that by hand; guessing could delete their text).
 *
 * @example
 * ```ts
 * findBlocks("a\n<!-- B -->\nx\n<!-- E -->\n", { begin: "<!-- B -->", end: "<!-- E -->" });
 * // [{ start: 2, end: 25 }]
 * ```
 */
export function findBlocks(text: string, m: Markers): BlockSpan[] {
  const out: BlockSpan[] = [];
  let from = 0;
  for (;;) {
    const b = lineAt(text, m.begin, from);
    if (b < 0) return out;
    const e = lineAt(text, m.end, b + m.begin.length);
    if (e < 0) {
      throw new MemoryossError(
        "CONFLICT",
        `a '${m.begin}' line has no matching '${m.end}' line; fix the file by hand`,
      );
    }
    const nl = text.indexOf("\n", e);
    const end = nl < 0 ? text.length : nl + 1;
    out.push({ start: b, end });
    from = end;
  }
}

/** Offset of the first line equal to `line` (ignoring surrounding blanks) at or after `from`. */
function lineAt(text: string, line: string, from: number): number {
  let pos = from;
  while (pos <= text.length) {
    const i = text.indexOf(line, pos);
    if (i < 0) return -1;
    const start = text.lastIndexOf("\n", i - 1) + 1;
    const nl = text.indexOf("\n", i);
    const end = nl < 0 ? text.length : nl;
    if (text.slice(start, end).trim() === line) return start;
    pos = i + line.length;
  }
  return -1;
}

/** The block text for `body` (without a trailing newline). */
export function renderBlock(m: Markers, body: string): string {
  return `${m.begin}\n${body.replace(/\n+$/, "")}\n${m.end}`;
}

/**
 * `text` with exactly one block holding `body`: replaced in place when present (later copies
 * dropped), else appended after a blank line. `null` text means a new file.
 *
 * @example
 * ```ts
 * upsertBlock("mine\n", { begin: "# >>>", end: "# <<<" }, "x = 1");
 * // "mine\n\n# >>>\nx = 1\n# <<<\n"
 * ```
 */
export function upsertBlock(text: string | null, m: Markers, body: string): string {
  const t = text ?? "";
  const block = renderBlock(m, body) + "\n";
  const spans = findBlocks(t, m);
  if (spans.length === 0) {
    if (t === "") return block;
    return t + (t.endsWith("\n") ? "\n" : "\n\n") + block;
  }
  let out = t;
  for (const s of spans.slice(1).reverse()) out = out.slice(0, s.start) + out.slice(s.end);
  const first = spans[0];
  const tail = out.slice(first.end);
  // Keep the user's choice of no newline after a block at the end of the file.
  const replaced = first.end === t.length && !t.endsWith("\n") ? block.slice(0, -1) : block;
  return out.slice(0, first.start) + replaced + tail;
}

/**
 * `text` without any of our blocks; the blank line that {@link upsertBlock} added before an
 * appended block goes too.
 *
 * @example
 * ```ts
 * removeBlock("mine\n\n# >>>\nx = 1\n# <<<\n", { begin: "# >>>", end: "# <<<" }); // "mine\n"
 * ```
 */
export function removeBlock(text: string, m: Markers): string {
  let out = text;
  for (const s of findBlocks(text, m).reverse()) {
    let head = out.slice(0, s.start);
    const tail = out.slice(s.end);
    if (tail === "" && head.endsWith("\n\n")) head = head.slice(0, -1);
    else if (tail.startsWith("\n") && head.endsWith("\n\n")) head = head.slice(0, -1);
    out = head + tail;
  }
  return out;
}

/** The body of the first block, or null. */
export function blockBody(text: string, m: Markers): string | null {
  const s = findBlocks(text, m)[0];
  if (!s) return null;
  const inner = text.slice(s.start, s.end);
  const lines = inner.replace(/\n$/, "").split("\n");
  return lines.slice(1, -1).join("\n");
}
