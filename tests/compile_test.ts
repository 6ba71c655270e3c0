import assert from "node:assert/strict";
import { posix } from "node:path";
import { compileCommands, RUNTIME_ASSETS, TARGETS, V8_FLAGS } from "../scripts/compile.ts";
import { COMMANDS } from "../cli/commands.ts";
import { lazyModule } from "../cli/_lazy.ts";

Deno.test("compile: every target embeds the runtime assets with the permission union", async () => {
  for (const t of Object.keys(TARGETS)) {
    for (const args of compileCommands(t, "dist")) {
      for (const a of RUNTIME_ASSETS) {
        assert.ok(args.includes(a), `${t} includes ${a}`);
        await Deno.stat(new URL(`../${a}`, import.meta.url)); // exists in the repo
      }
      for (const p of ["read", "write", "env", "net", "sys", "ffi", "run"]) {
        assert.ok(args.includes(`--allow-${p}`), `${t} --allow-${p}`);
      }
      assert.equal(args.at(-1), "main.ts");
    }
  }
  assert.equal(compileCommands("x86_64-pc-windows-msvc", "dist").length, 2, "no-terminal variant");
});

Deno.test("compile: the binary and `deno task start` run serve with the same V8 flags", async () => {
  const start = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)))
    .tasks.start as string;
  for (const t of Object.keys(TARGETS)) {
    for (const args of compileCommands(t, "dist")) {
      const flags = args.filter((a) => a.startsWith("--v8-flags="));
      assert.deepEqual(flags, [V8_FLAGS], t);
    }
  }
  assert.ok(start.split(" ").includes(V8_FLAGS), start);
});

/** Relative `new URL("./…", import.meta.url)` targets in our source (static prefix only). */
async function runtimeReads(): Promise<string[]> {
  const found: string[] = [];
  const root = new URL("../", import.meta.url);
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(new URL(dir, root))) {
      const rel = `${dir}${e.name}`;
      if (e.isDirectory) await walk(`${rel}/`);
      else if (e.name.endsWith(".ts")) {
        const src = await Deno.readTextFile(new URL(rel, root));
        for (
          const m of src.matchAll(/new URL\(\s*["'`](\.{1,2}\/[^"'`$]*)[^)]*import\.meta\.url/g)
        ) {
          const target = posix.normalize(posix.join(posix.dirname(rel), m[1]));
          if (!/\.(ts|js)$/.test(target) || target.includes("/assets/")) found.push(target);
        }
      }
    }
  };
  for (const d of ["lib/", "cli/", "adapters/", "ffi/"]) await walk(d);
  return found;
}

Deno.test("compile: every file the program reads at run time is embedded", async () => {
  const reads = await runtimeReads();
  assert.ok(
    reads.includes("lib/embed/assets/glove50k.i8.bin"),
    "the scan finds the embedder table",
  );
  for (const r of reads) {
    const covered = RUNTIME_ASSETS.some((a) => r === a || r.startsWith(a.replace(/\/?$/, "/")));
    assert.ok(covered, `${r} is read at run time but not in RUNTIME_ASSETS (scripts/compile.ts)`);
  }
});

Deno.test("compile: every subcommand module (imported by a run-time specifier) is embedded", async () => {
  const args = compileCommands("x86_64-unknown-linux-gnu", "dist")[0];
  const included = args.flatMap((a, i) => (args[i - 1] === "--include" ? [a] : []));
  // A few by hand: the server, the hot memory commands, and a module with two entry points.
  for (const m of ["cli/serve.ts", "cli/remember.ts", "cli/memory_write.ts", "cli/backup.ts"]) {
    assert.ok(included.includes(m), `--include ${m}`);
  }
  for (const [name, c] of Object.entries(COMMANDS)) {
    assert.ok(included.includes(`cli/${c.module}.ts`), `${name}: --include cli/${c.module}.ts`);
    assert.equal(typeof await c.load(), "function", `${name} loads its entry point`);
  }
});

Deno.test("compile: the modules hot commands load on demand (cli/_lazy.ts) are embedded and load", async () => {
  const args = compileCommands("x86_64-unknown-linux-gnu", "dist")[0];
  const included = args.flatMap((a, i) => (args[i - 1] === "--include" ? [a] : []));
  for (const m of ["lib/memory/mod.ts", "lib/llm/mod.ts", "cli/stores.ts"]) {
    assert.ok(included.includes(m), `--include ${m}`);
  }
  assert.equal(typeof (await lazyModule("memory")).recall, "function");
  assert.equal(typeof (await lazyModule("llm")).expandForRecall, "function");
  assert.equal(typeof (await lazyModule("stores")).storesMain, "function");
});
