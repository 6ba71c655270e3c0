/** Open the runtime for a command and always close it. */
import { loadConfig } from "../lib/config/mod.ts";
import { decodeUtf8, openRuntime, type Runtime } from "../lib/memory/mod.ts";
import type { Globals } from "./_io.ts";

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

/** Read all of stdin as text; bytes that are not valid UTF-8 are refused (exit 3), not replaced. */
export async function readStdin(): Promise<string> {
  return decodeUtf8(await new Response(Deno.stdin.readable).bytes(), "stdin");
}

/** Content from positionals, or from stdin when the only positional is `-` (trailing newline dropped). */
export async function contentArg(positionals: string[]): Promise<string> {
  return positionals.length === 1 && positionals[0] === "-"
    ? (await readStdin()).replace(/\r?\n$/, "")
    : positionals.join(" ");
}
