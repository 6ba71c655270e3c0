/** Test entry: the real CLI (main.ts: dispatch and permission narrowing) for `memoryoss doctor …`. */
import { run } from "../../main.ts";

Deno.exit(await run(["doctor", ...Deno.args]));
