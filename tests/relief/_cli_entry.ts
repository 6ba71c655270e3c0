/** Test entry: the real CLI (main.ts: dispatch and permission narrowing) for `memoryoss relief …`. */
import { run } from "../../main.ts";

Deno.exit(await run(["relief", ...Deno.args]));
