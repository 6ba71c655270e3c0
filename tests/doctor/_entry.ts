/** Runs `memoryoss doctor …` in a subprocess for the tests (main.ts is not involved). */
import { main } from "../../cli/doctor.ts";
import { reportError } from "../../cli/_io.ts";

try {
  Deno.exit(await main(Deno.args, {}));
} catch (e) {
  Deno.exit(reportError(e, Deno.args.includes("--json")));
}
