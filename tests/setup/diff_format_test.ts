/**
 * The dry-run diff format that stays ours while the `diff` package computes it: no
 * "\ No newline at end of file" markers, one line for a final-newline-only change, and
 * empty-range hunk starts as `diff -u` prints them.
 */
import assert from "node:assert/strict";
import { unifiedDiff } from "../../lib/setup/mod.ts";

Deno.test("unifiedDiff: final newline, missing final newline, insertion with context 1", () => {
  assert.equal(
    unifiedDiff("f", "x", "x\n"),
    "--- a/f\n+++ b/f\n@@ trailing newline changed @@\n",
  );
  assert.equal(
    unifiedDiff("f", "a\nb", "a\nc\n"),
    "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
  );
  assert.equal(
    unifiedDiff("f", "1\n2\n3\n4\n5\n", "1\n2\nX\n3\n4\n5\n", 1),
    "--- a/f\n+++ b/f\n@@ -2,2 +2,3 @@\n 2\n+X\n 3\n",
  );
  assert.equal(
    unifiedDiff("f", "", null),
    "--- a/f\n+++ /dev/null\n@@ trailing newline changed @@\n",
  );
});
