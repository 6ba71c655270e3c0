import assert from "node:assert/strict";
import { topRows } from "../../lib/recall/top_rows.ts";

// Each list's keys ascending, as the per-term lists are read (rowid order).
const list = (pks: number[], s: number[]) => ({ pks, s: Float64Array.from(s) });

Deno.test("topRows: sums per row, lower first, ties by key; calls share scratch without leaking", () => {
  // Row 1: -1; row 3: -2 + -1 = -3; row 5: -3; row 4: -0.5.
  assert.deepEqual(topRows([list([1, 3, 5], [-1, -2, -3]), list([3, 4], [-1, -0.5])], 2), [
    { pk: 3, s: -3 },
    { pk: 5, s: -3 },
  ]);
  // A smaller call after a larger one: only its own row, nothing left from the call before.
  assert.deepEqual(topRows([list([2], [-0.25])], 5), [{ pk: 2, s: -0.25 }]);
  // Rows tied at the n-th value: the lower key first.
  assert.deepEqual(topRows([list([6, 7, 8], [-1, -1, -2])], 2), [
    { pk: 8, s: -2 },
    { pk: 6, s: -1 },
  ]);
  // Larger keys than any call before (the scratch grows), then none asked for.
  assert.deepEqual(topRows([list([9, 100_000], [-0.75, -0.5])], 3), [
    { pk: 9, s: -0.75 },
    { pk: 100_000, s: -0.5 },
  ]);
  assert.deepEqual(topRows([list([1], [-1])], 0), []);
});
