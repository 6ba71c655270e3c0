/** The Zipf normaliser is a constant only because it equals the sum it stands for, bit for bit. */
import assert from "node:assert/strict";
import { SOURCE_VOCAB, ZIPF_NORM, ZIPF_OFFSET } from "../../lib/embed/zipf.ts";

Deno.test("zipf: ZIPF_NORM is the float64 sum of 1/(rank + offset) over the source vocabulary", () => {
  let norm = 0;
  for (let r = 0; r < SOURCE_VOCAB; r++) norm += 1 / (r + ZIPF_OFFSET);
  assert.equal(ZIPF_NORM, norm);
});
