/**
 * Test-only entry: runs one portability command the way main.ts will once it is registered
 * (`memoryoss passport …`, `reader …`, `backup`, `restore` …), so tests see real stdout, stderr
 * and exit codes. Only the named module is loaded, so `reader` runs with read permission alone.
 */
import { reportError } from "../../cli/_io.ts";

const LOADERS: Record<string, () => Promise<(args: string[], g: object) => Promise<number>>> = {
  passport: async () => (await import("../../cli/passport.ts")).main,
  history: async () => (await import("../../cli/history.ts")).main,
  bundle: async () => (await import("../../cli/bundle.ts")).main,
  reader: async () => (await import("../../cli/reader.ts")).main,
  conformance: async () => (await import("../../cli/conformance.ts")).main,
  adapter: async () => (await import("../../cli/adapter.ts")).main,
  backup: async () => (await import("../../cli/backup.ts")).main,
  restore: async () => (await import("../../cli/backup.ts")).restoreMain,
};

const [name, ...rest] = Deno.args;
try {
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown command ${name}`);
  Deno.exit(await (await load())(rest, {}));
} catch (e) {
  Deno.exit(reportError(e, rest.includes("--json")));
}
