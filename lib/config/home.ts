import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";

/** Environment lookup, passed in so tests can use a fake environment. */
export type EnvGet = (name: string) => string | undefined;

/**
 * Where memoryoss keeps its data: `MEMORYOSS_HOME`, else `%LOCALAPPDATA%\memoryoss` on Windows,
 * else `~/.memoryoss`.
 *
 * @example
 * ```ts
 * resolveHome((k) => ({ MEMORYOSS_HOME: "/tmp/m" } as Record<string, string>)[k], "linux"); // "/tmp/m"
 * ```
 */
export function resolveHome(env: EnvGet, os: string = Deno.build.os): string {
  const explicit = env("MEMORYOSS_HOME");
  if (explicit) return explicit;
  if (os === "windows") {
    const local = env("LOCALAPPDATA") ?? (env("USERPROFILE") &&
      join(env("USERPROFILE")!, "AppData", "Local"));
    if (local) return join(local, "memoryoss");
  }
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "cannot find a home folder: set MEMORYOSS_HOME or HOME",
    );
  }
  return join(home, ".memoryoss");
}
