/**
 * Unified diffs for `setup --dry-run` and `uninstall --dry-run`. Setup edits are local, so the
 * common head and tail are trimmed first and the LCS runs on the small middle only.
 */

type Op = { kind: " " | "-" | "+"; line: string };

function splitLines(text: string | null): string[] {
  if (text === null || text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** The edit script from `a` to `b` (longest common subsequence, lines). */
function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head && tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: " ", line }));
  if (am.length * bm.length > 4_000_000) {
    // Too large for a table: show it as a replacement rather than spend seconds.
    for (const line of am) ops.push({ kind: "-", line });
    for (const line of bm) ops.push({ kind: "+", line });
  } else {
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j]
          ? lcs[(i + 1) * w + j + 1] + 1
          : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        ops.push({ kind: " ", line: am[i++] });
        j++;
      } else if (i < am.length && (j >= bm.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        ops.push({ kind: "-", line: am[i++] });
      } else ops.push({ kind: "+", line: bm[j++] });
    }
  }
  for (const line of a.slice(a.length - tail)) ops.push({ kind: " ", line });
  return ops;
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
  const ops = lineOps(splitLines(before), splitLines(after));
  const out = [
    `--- ${before === null ? "/dev/null" : `a/${path}`}`,
    `+++ ${after === null ? "/dev/null" : `b/${path}`}`,
  ];
  const changed = ops.map((o, i) => (o.kind === " " ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) {
    // Only the final newline differs.
    out.push("@@ trailing newline changed @@");
    return out.join("\n") + "\n";
  }
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k] - context);
    let last = changed[k];
    while (k + 1 < changed.length && changed[k + 1] - last <= 2 * context) last = changed[++k];
    k++;
    const to = Math.min(ops.length, last + context + 1);
    let aStart = 1, bStart = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i].kind !== "+") aStart++;
      if (ops[i].kind !== "-") bStart++;
    }
    const hunk = ops.slice(from, to);
    const aLen = hunk.filter((o) => o.kind !== "+").length;
    const bLen = hunk.filter((o) => o.kind !== "-").length;
    out.push(
      `@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`,
    );
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  return out.join("\n") + "\n";
}
