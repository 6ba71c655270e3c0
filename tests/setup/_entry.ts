/** Test entry: the real CLI (main.ts: dispatch and permission narrowing), `setup|uninstall|hook …`. */
import { run } from "../../main.ts";

Deno.exit(await run(Deno.args));
