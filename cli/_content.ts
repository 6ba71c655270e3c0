/**
 * A command's text from its words or stdin. Its own module (no runtime, no memory barrel) so
 * `remember` starts small; `_runtime.ts` re-exports it for the other commands.
 */
import { decodeUtf8 } from "../lib/memory/input_checks.ts";

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
