/** Runs `memoryoss lane …` in a subprocess for the CLI tests (main.ts is not involved). */
import { main } from "../../cli/lane.ts";
import { reportError } from "../../cli/_io.ts";

try {
  Deno.exit(await main(Deno.args, {}));
} catch (e) {
  Deno.exit(reportError(e, Deno.args.includes("--json")));
}
