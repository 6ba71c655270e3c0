/** Test entry: the real CLI (main.ts: dispatch and permission narrowing) for `memoryoss mcp-server …`. */
import { run } from "../../main.ts";

Deno.exit(await run(["mcp-server", ...Deno.args]));
