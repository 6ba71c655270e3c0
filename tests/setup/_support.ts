/** A throw-away HOME (with a MEMORYOSS_HOME inside) for setup and hook tests. */
import { join, relative } from "node:path";
import type { Launch } from "../../lib/setup/mod.ts";

/** The fixture: paths, an env lookup for them and a launch command that needs no binary. */
export interface SetupHome {
  home: string;
  mh: string;
  env: (k: string) => string | undefined;
  launch: Launch;
  /** Write a file under HOME (creating folders). */
  put(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string | null>;
  /** Every file under HOME except the memoryoss home, as relative path → text. */
  snapshot(): Promise<Record<string, string>>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fresh fixture; `extraEnv` adds variables (PATH is empty unless given). */
export async function setupHome(extraEnv: Record<string, string> = {}): Promise<SetupHome> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-setup-" });
  const mh = join(home, ".memoryoss-test");
  const vars: Record<string, string> = { HOME: home, MEMORYOSS_HOME: mh, PATH: "", ...extraEnv };
  const snapshot = async () => {
    const out: Record<string, string> = {};
    const walk = async (dir: string) => {
      for await (const e of Deno.readDir(dir)) {
        const p = join(dir, e.name);
        if (p === mh) continue;
        if (e.isDirectory) await walk(p);
        else if (e.isFile || e.isSymlink) out[relative(home, p)] = await Deno.readTextFile(p);
      }
    };
    await walk(home);
    return out;
  };
  return {
    home,
    mh,
    env: (k) => vars[k],
    launch: { command: "/opt/memoryoss/bin/memoryoss", args: [] },
    async put(rel, text) {
      const p = join(home, rel);
      await Deno.mkdir(join(p, ".."), { recursive: true });
      await Deno.writeTextFile(p, text);
    },
    async read(rel) {
      return await Deno.readTextFile(join(home, rel)).catch(() => null);
    },
    snapshot,
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}
