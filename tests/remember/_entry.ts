/**
 * Runs `memoryoss remember|drain|review …` in a subprocess for the tests (the commands are
 * not registered in cli/commands.ts yet, so main.ts is not involved).
 */
import { reportError } from "../../cli/_io.ts";

const [name, ...args] = Deno.args;
try {
  // Load only the command's module, as main.ts does (keeps remember's start-up small).
  const mod = name === "review"
    ? await import("../../cli/review.ts")
    : await import("../../cli/remember.ts");
  const cmd = mod.commands[name];
  if (!cmd) throw new Error(`unknown command ${name}`);
  const t0 = performance.now();
  const code = await cmd(args, {});
  if (Deno.env.get("MEMORYOSS_TIMING")) {
    console.error(`timing: ${(performance.now() - t0).toFixed(2)} ms`);
  }
  Deno.exit(code);
} catch (e) {
  Deno.exit(reportError(e, args.includes("--json")));
}
