/** lib/wasm's dot product kernel (dots.wat) over `DotRows`: hand-computed dot products. */
import assert from "node:assert/strict";
import { DotRows, dotsKernel } from "../../lib/wasm/mod.ts";

Deno.test("the SIMD dot kernel: hand-computed dot products, rows after a resize", () => {
  // dim 12: one 32-byte step (8 values) and the 16-byte tail (4 values) of the kernel.
  const rows = new DotRows(12, 2);
  const q = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  rows.data.set([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0); // 1+2+…+12 = 78
  rows.data.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5], 12); // 12·0.5 = 6
  rows.resize(4, 2); // a fresh buffer: the two rows come along
  rows.data.set([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 24); // -1 + 24 = 23
  rows.data.set([0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0, 0, 0, 0], 36); // (1+2+3+4)/4 = 2.5
  const out = rows.dots(q, 4);
  assert.ok(out, "WebAssembly SIMD is available on every platform we ship (Deno's V8)");
  assert.deepEqual([...out.subarray(0, 4)], [78, 6, 23, 2.5]);
  // only the first n rows are written
  assert.deepEqual([...rows.dots(Float32Array.from(q, (x) => -x), 1)!.subarray(0, 1)], [-78]);
});

Deno.test("the SIMD dot kernel: dim 4 (no 32-byte step) and dims it cannot scan", () => {
  const rows = new DotRows(4, 1);
  rows.data.set([0.5, -2, 3, 1]);
  assert.deepEqual([...rows.dots(Float32Array.from([2, 1, 1, -1]), 1)!], [1 - 2 + 3 - 1]);
  assert.equal(
    new DotRows(3).dots(Float32Array.from([1, 2, 3]), 0),
    null,
    "dim not a multiple of 4",
  );
  assert.equal(rows.dots(Float32Array.from([1, 2]), 1), null, "a query of another dimension");
});

Deno.test("dotsKernel: one compiled module, an instance per memory", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const kernel = dotsKernel(memory);
  assert.ok(kernel);
  const f = new Float32Array(memory.buffer);
  f.set([1, 2, 3, 4], 0); // query at byte 0
  f.set([4, 3, 2, 1, 1, 0, 0, 1], 4); // two rows at byte 16
  kernel(0, 16, 2, 4, 48);
  assert.deepEqual([...f.subarray(12, 14)], [4 + 6 + 6 + 4, 1 + 4]);
});
