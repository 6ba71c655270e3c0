/**
 * Test entry: the real CLI (main.ts: dispatch and permission narrowing) for
 * `remember|drain|review …`, timing the command itself when MEMORYOSS_TIMING is set.
 */
import { run } from "../../main.ts";

const t0 = performance.now();
const code = await run(Deno.args);
if (Deno.env.get("MEMORYOSS_TIMING")) {
  console.error(`timing: ${(performance.now() - t0).toFixed(2)} ms`);
}
Deno.exit(code);
