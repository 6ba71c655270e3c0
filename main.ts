/**
 * memoryoss entry point: parse global flags, narrow Deno permissions to what the subcommand
 * needs, then load only that subcommand's module (keeps start-up fast and privileges small).
 */
import { COMMANDS, globalHelp } from "./cli/commands.ts";
import { narrowPermissions } from "./cli/permissions.ts";
import { type Globals, reportError } from "./cli/_io.ts";
import { VERSION } from "./lib/version.ts";

/** Run the CLI with `argv`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const g: Globals = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-c" || a === "--config") {
      if (i + 1 >= argv.length) return usageError(`${a} needs a file path`);
      g.config = argv[++i];
    } else if (a.startsWith("--config=")) g.config = a.slice(9);
    else if (a === "-V" || a === "--version") {
      console.log(`memoryoss ${VERSION}`);
      return 0;
    } else if (a === "-h" || a === "--help" || a === "help") {
      const topic = argv[i + 1];
      if (a === "help" && topic && COMMANDS[topic]) return await dispatch(topic, ["--help"], g);
      console.log(globalHelp(VERSION));
      return 0;
    } else if (a.startsWith("-")) return usageError(`unknown global option '${a}'`);
    else break;
  }
  if (i >= argv.length) {
    console.log(globalHelp(VERSION));
    return 0;
  }
  const name = argv[i];
  if (!COMMANDS[name]) {
    const near = Object.keys(COMMANDS).find((c) => c.startsWith(name.slice(0, 3)));
    return usageError(`unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ""}`);
  }
  return await dispatch(name, argv.slice(i + 1), g);
}

async function dispatch(name: string, args: string[], g: Globals): Promise<number> {
  const json = args.includes("--json");
  try {
    narrowPermissions(name);
    const main = await COMMANDS[name].load();
    return await main(args, g);
  } catch (e) {
    return reportError(e, json);
  }
}

function usageError(msg: string): number {
  console.error(`memoryoss: error: ${msg}\nRun 'memoryoss --help' for usage.`);
  return 3;
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
