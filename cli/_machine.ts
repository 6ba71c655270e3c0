/**
 * The machine a scheduled job is planned for (`worker`, `scheduler interval`, `relief
 * schedule`). Its own file: `relief` loads it without lib/memory.
 */
import { loadConfig } from "../lib/config/mod.ts";
import type { JobContext, ProgramInfo } from "../lib/schedule/mod.ts";
import type { Globals } from "./_io.ts";

/** This OS, its environment and clock, the memoryoss home, and how to start this program. */
export type MachineContext = JobContext & { home: string; program: ProgramInfo };

/**
 * This machine as a scheduled job sees it: the OS, the environment, the home of the global
 * flags' config (not created), and this program (the binary, or `deno run` from source) with
 * `-c FILE` passed through.
 */
export async function machineContext(g: Globals): Promise<MachineContext> {
  const loaded = await loadConfig({ configPath: g.config, init: false });
  return {
    os: Deno.build.os,
    env: (k) => Deno.env.get(k),
    now: new Date(),
    home: loaded.home,
    program: {
      execPath: Deno.execPath(),
      mainModule: Deno.mainModule,
      config: g.config,
      os: Deno.build.os,
    },
  };
}
