/** Test entry: the real CLI (main.ts: dispatch and permission narrowing) for `memoryoss lane …`. */
import { run } from "../../main.ts";

Deno.exit(await run(["lane", ...Deno.args]));
