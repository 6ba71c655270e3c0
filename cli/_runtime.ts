/** Open the runtime for a command and always close it. */
import { loadConfig } from "../lib/config/mod.ts";
import { openRuntime, type Runtime } from "../lib/memory/mod.ts";
import type { Globals } from "./_io.ts";

export { contentArg, readStdin } from "./_content.ts";

/** Run `fn` with an open runtime built from the global flags. */
export async function withRuntime<T>(g: Globals, fn: (rt: Runtime) => Promise<T> | T): Promise<T> {
  const loaded = await loadConfig({ configPath: g.config });
  const rt = await openRuntime(loaded);
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}
