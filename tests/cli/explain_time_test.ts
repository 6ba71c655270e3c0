/** `recall --explain` prints the time channel when the question names a time, and only then. */
import assert from "node:assert/strict";
import { cli } from "./_helpers.ts";

Deno.test("recall --explain: the time channel shows for 'yesterday'/'today', not for a plain question", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-explain-time-" });
  const stored = await cli(home, "store", "The dentist appointment moved to Friday.");
  assert.equal(stored.code, 0, stored.stderr);
  const timed = await cli(home, "recall", "--explain", "what happened today at the dentist");
  assert.equal(timed.code, 0, timed.stderr);
  assert.match(timed.stdout, /recency [0-9.]+.* {2}time 1\.000 {2}\(/);
  const plain = await cli(home, "recall", "--explain", "dentist appointment");
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, / time [0-9.]+/);
  await Deno.remove(home, { recursive: true });
});
