/**
 * Unified diffs for `setup --dry-run` and `uninstall --dry-run`, computed by the `diff`
 * package (jsdiff) and printed in our format: `a/`/`b/` names or `/dev/null`, no
 * "\ No newline at end of file" markers, and one `@@ trailing newline changed @@` line when
 * only the final newline differs.
 */
import { structuredPatch } from "diff";

function splitLines(text: string | null): string[] {
  if (text === null || text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** The lines as text with a final newline each (so a missing final newline is no change). */
function normalized(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

/**
 * A unified diff of `before` → `after` (`null` = the file does not exist), with `context`
 * lines around each change; "" when nothing changes.
 *
 * @example
 * ```ts
 * unifiedDiff("f", "a\nb\n", "a\nc\n");
 * // "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
 * ```
 */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  context = 3,
): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const out = [
    `--- ${before === null ? "/dev/null" : `a/${path}`}`,
    `+++ ${after === null ? "/dev/null" : `b/${path}`}`,
  ];
  if (a.length === b.length && a.every((l, i) => l === b[i])) {
    // Only the final newline differs.
    out.push("@@ trailing newline changed @@");
    return out.join("\n") + "\n";
  }
  const patch = structuredPatch("a", "b", normalized(a), normalized(b), "", "", { context });
  for (const h of patch.hunks) {
    // An empty range starts at the line before it (as `diff -u` and git print it).
    const aStart = h.oldLines ? h.oldStart : h.oldStart - 1;
    const bStart = h.newLines ? h.newStart : h.newStart - 1;
    out.push(`@@ -${aStart},${h.oldLines} +${bStart},${h.newLines} @@`);
    for (const line of h.lines) if (!line.startsWith("\\")) out.push(line);
  }
  return out.join("\n") + "\n";
}
