/**
 * memoryoss entry point: parse global flags, narrow Deno permissions to what the subcommand
 * needs, then load only that subcommand's module (keeps start-up fast and privileges small).
 */
import { COMMANDS, globalHelp } from "./cli/commands.ts";
import { narrowPermissions } from "./cli/permissions.ts";
import { type Globals, reportError } from "./cli/_io.ts";
import { VERSION } from "./lib/version.ts";

/** Run the CLI with `argv`; returns the exit code. */
export async function run(rawArgv: string[]): Promise<number> {
  const g: Globals = {};
  // -c/--config is global and may stand before or after the command (but not after "--").
  const argv: string[] = [];
  for (let j = 0; j < rawArgv.length; j++) {
    const a = rawArgv[j];
    if (a === "--") {
      argv.push(...rawArgv.slice(j));
      break;
    }
    if (a === "-c" || a === "--config") {
      if (j + 1 >= rawArgv.length) return usageError(`${a} needs a file path`);
      g.config = rawArgv[++j];
    } else if (a.startsWith("--config=")) g.config = a.slice(9);
    else argv.push(a);
  }
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-V" || a === "--version") {
      console.log(`memoryoss ${VERSION}`);
      return 0;
    } else if (a === "-h" || a === "--help" || a === "help") {
      const topic = argv[i + 1];
      if (a === "help" && topic && isCommand(topic)) return await dispatch(topic, ["--help"], g);
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
  if (!isCommand(name)) {
    const near = closestCommand(name);
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
    return reportError(e, json, name);
  }
}

function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

/** The command within edit distance 2 of a typo, if any. */
function closestCommand(name: string): string | undefined {
  let best: [string, number] | undefined;
  for (const c of Object.keys(COMMANDS)) {
    const d = editDistance(name, c);
    if (d <= 2 && (!best || d < best[1])) best = [c, d];
  }
  return best?.[0];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function usageError(msg: string): number {
  console.error(`memoryoss: error: ${msg}\nRun 'memoryoss --help' for usage.`);
  return 3;
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
