/**
 * `deno task compile`: build the single `memoryoss` executable for every target.
 *
 *   deno task compile [--target x86_64-unknown-linux-gnu,…] [--out dist] [--dry-run]
 *
 * The compile runtime is downloaded by Deno per target, so real builds run in the release
 * workflow where the internet is reachable; `--dry-run` prints the exact commands here. The
 * binary holds the union of every subcommand's permissions; `main.ts` revokes what a
 * subcommand does not need before loading it.
 */
import { parseArgs } from "node:util";
import { ALL_PERMISSIONS, PERMISSIONS } from "../cli/permissions.ts";
import { COMMANDS } from "../cli/commands.ts";
import { LAZY_MODULES } from "../cli/_lazy.ts";

/** Every target we ship, with its archive name. */
export const TARGETS: Record<string, string> = {
  "x86_64-unknown-linux-gnu": "memoryoss-linux-x64",
  "aarch64-unknown-linux-gnu": "memoryoss-linux-arm64",
  "x86_64-apple-darwin": "memoryoss-darwin-x64",
  "aarch64-apple-darwin": "memoryoss-darwin-arm64",
  "x86_64-pc-windows-msvc": "memoryoss-windows-x64",
};

/** Files the program reads at run time; they must be embedded with --include. */
export const RUNTIME_ASSETS = ["lib/embed/assets/glove50k.i8.bin", "lib/ui/assets"];

/**
 * The subcommand modules: main.ts imports them through run-time specifiers (so `deno run` does
 * not load every command's graph at start-up), which `deno compile` only embeds when included;
 * likewise the modules hot commands load on demand (cli/_lazy.ts).
 */
export function commandModules(): string[] {
  const commands = Object.values(COMMANDS).map((c) => `cli/${c.module}.ts`);
  return [...new Set([...commands, ...LAZY_MODULES])].sort();
}

/** The permission flags: the union of the per-command table. */
export function permissionFlags(): string[] {
  const union = new Set(Object.values(PERMISSIONS).flat());
  return ALL_PERMISSIONS.filter((p) => union.has(p)).map((p) => `--allow-${p}`);
}

/** V8 flags of the binary (and of `deno task start`, deno.json). */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=4";

/** The `deno compile` argument lists for a target (two for Windows: console and no-terminal). */
export function compileCommands(target: string, out: string): string[][] {
  const base = [
    "compile",
    "--no-check",
    "--target",
    target,
    ...permissionFlags(),
    // V8's young generation at most 2 × 4 MB: `serve` at 100k peaks ≈ 70 MB lower after 300
    // recalls (median), recall CPU p95 unchanged (docs/benchmarks.md, "what a recall allocates").
    V8_FLAGS,
    ...RUNTIME_ASSETS.flatMap((a) => ["--include", a]),
    ...commandModules().flatMap((m) => ["--include", m]),
  ];
  const name = TARGETS[target];
  const cmds = [[...base, "--output", `${out}/${name}`, "main.ts"]];
  if (target.includes("windows")) {
    cmds.push([...base, "--no-terminal", "--output", `${out}/${name}-noterminal`, "main.ts"]);
  }
  return cmds;
}

async function sha256File(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      target: { type: "string" },
      out: { type: "string", default: "dist" },
      "dry-run": { type: "boolean" },
    },
  });
  const targets = values.target ? values.target.split(",") : Object.keys(TARGETS);
  for (const t of targets) {
    if (!TARGETS[t]) {
      console.error(`unknown target '${t}'; known: ${Object.keys(TARGETS).join(", ")}`);
      Deno.exit(3);
    }
  }
  for (const t of targets) {
    for (const args of compileCommands(t, values.out!)) {
      console.log(`deno ${args.join(" ")}`);
      if (values["dry-run"]) continue;
      const res = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
      if (!res.success) Deno.exit(res.code || 2);
      const outIdx = args.indexOf("--output") + 1;
      const file = args[outIdx] + (t.includes("windows") ? ".exe" : "");
      await Deno.writeTextFile(
        `${file}.sha256`,
        `${await sha256File(file)}  ${file.split("/").pop()}\n`,
      );
    }
  }
}
