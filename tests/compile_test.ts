import assert from "node:assert/strict";
import { compileCommands, RUNTIME_ASSETS, TARGETS } from "../scripts/compile.ts";

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

Deno.test("compile: every asset the embedder reads at run time is listed", async () => {
  // Files read through `new URL("./…", import.meta.url)` in lib/ must be embedded.
  const read: string[] = [];
  for await (const e of Deno.readDir(new URL("../lib/embed/", import.meta.url))) {
    if (!e.name.endsWith(".ts")) continue;
    const src = await Deno.readTextFile(new URL(`../lib/embed/${e.name}`, import.meta.url));
    for (const m of src.matchAll(/new URL\("\.\/([^"]+)", import\.meta\.url\)/g)) {
      read.push(`lib/embed/${m[1]}`);
    }
  }
  assert.ok(read.length > 0, "the embedder reads its table via import.meta.url");
  for (const r of read) assert.ok(RUNTIME_ASSETS.includes(r), `${r} is not in RUNTIME_ASSETS`);
});
