/**
 * Test-only entry: runs `cli/relief.ts` the way main.ts will once the lead registers it
 * (`memoryoss relief …`), so tests can check stdout, stderr and exit codes end to end.
 */
import { main } from "../../cli/relief.ts";

Deno.exit(await main(Deno.args, {}));
