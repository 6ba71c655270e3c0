import assert from "node:assert/strict";
import { unifiedDiff } from "../../lib/setup/mod.ts";

Deno.test("unifiedDiff renders hunks with context", () => {
  const cases: { name: string; a: string | null; b: string | null; want: string }[] = [
    { name: "no change", a: "x\n", b: "x\n", want: "" },
    {
      name: "one line changed",
      a: "a\nb\nc\n",
      b: "a\nB\nc\n",
      want: "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
    },
    {
      name: "new file",
      a: null,
      b: "x\ny\n",
      want: "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n",
    },
    {
      name: "deleted file",
      a: "x\n",
      b: null,
      want: "--- a/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n",
    },
    {
      name: "append at the end, context limited to 3",
      a: "1\n2\n3\n4\n5\n",
      b: "1\n2\n3\n4\n5\n6\n",
      want: "--- a/f\n+++ b/f\n@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n",
    },
  ];
  for (const c of cases) assert.equal(unifiedDiff("f", c.a, c.b), c.want, c.name);
});

Deno.test("unifiedDiff splits far-apart changes into hunks", () => {
  const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n") + "\n";
  const b = a.replace("l1\n", "L1\n").replace("l18\n", "L18\n");
  const d = unifiedDiff("f", a, b);
  assert.equal(d.match(/^@@/gm)?.length, 2);
  assert.match(d, /@@ -1,5 \+1,5 @@\n l0\n-l1\n\+L1\n l2/);
  assert.match(d, /@@ -16,5 \+16,5 @@\n l15\n l16\n l17\n-l18\n\+L18\n l19\n/);
});
