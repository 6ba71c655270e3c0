/**
 * Runs `memoryoss setup|uninstall|hook …` in a subprocess for the tests (main.ts is not
 * involved): the first argument names the command.
 */
import { commands } from "../../cli/setup.ts";
import { main as hook } from "../../cli/hook.ts";
import { reportError } from "../../cli/_io.ts";

const table = { ...commands, hook };
const [name, ...args] = Deno.args;
try {
  Deno.exit(await table[name as keyof typeof table](args, {}));
} catch (e) {
  Deno.exit(reportError(e, args.includes("--json")));
}
