import assert from "node:assert/strict";
import { clipText, fitToBudget } from "../../lib/mcp/mod.ts";

const item = (n: number) => ({ id: String(n), content: "x".repeat(n) });

Deno.test("fitToBudget keeps items in order while they fit", () => {
  const cases: { sizes: number[]; budget: number; kept: number; omitted: number }[] = [
    { sizes: [], budget: 100, kept: 0, omitted: 0 },
    { sizes: [10, 10, 10], budget: 1000, kept: 3, omitted: 0 },
    { sizes: [10, 10, 10], budget: 100, kept: 2, omitted: 1 },
    { sizes: [10, 500, 10], budget: 100, kept: 1, omitted: 2 },
  ];
  for (const c of cases) {
    const r = fitToBudget(c.sizes.map(item), c.budget);
    assert.deepEqual(
      [r.kept.length, r.omitted, r.clipped],
      [c.kept, c.omitted, false],
      `${c.sizes}`,
    );
  }
});

Deno.test("fitToBudget clips a lone oversized first item so a page always progresses", () => {
  const r = fitToBudget([item(5000), item(10)], 1000);
  assert.equal(r.kept.length, 1);
  assert.equal(r.clipped, true);
  assert.equal(r.omitted, 1);
  assert.ok(r.kept[0].content.length <= 1000 && r.kept[0].content.endsWith("…"));
});

Deno.test("clipText", () => {
  const cases: [string, number, string][] = [["abc", 5, "abc"], ["abcdef", 4, "abc…"], [
    "ab",
    2,
    "ab",
  ]];
  for (const [text, n, want] of cases) assert.equal(clipText(text, n), want);
});
