/** A runtime on a fresh temp home, for lib-level tests. */
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, type Runtime, type RuntimeOptions } from "../../lib/memory/mod.ts";

/** A runtime plus its cleanup; `config` is TOML text written before opening. */
export async function tempRuntime(
  config = "",
  opts: RuntimeOptions = {},
): Promise<{ rt: Runtime; home: string; [Symbol.asyncDispose](): Promise<void> }> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-test-" });
  if (config) await Deno.writeTextFile(`${home}/memoryoss.toml`, config);
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded, opts);
  return {
    rt,
    home,
    async [Symbol.asyncDispose]() {
      rt.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}
