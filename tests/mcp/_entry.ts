/**
 * Runs `memoryoss mcp-server …` in a subprocess for the tests (main.ts is not involved). Drops
 * the permissions mcp-server must not hold (ffi, run, sys) first, as main.ts would.
 */
import { main } from "../../cli/mcp_server.ts";
import { reportError } from "../../cli/_io.ts";

for (const name of ["ffi", "run", "sys"] as const) Deno.permissions.revokeSync({ name });
try {
  Deno.exit(await main(Deno.args, {}));
} catch (e) {
  Deno.exit(reportError(e, Deno.args.includes("--json")));
}
