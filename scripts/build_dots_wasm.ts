/**
 * Regenerate lib/wasm/dots_wasm.ts from lib/wasm/dots.wat (the SIMD dot product kernel of
 * recall's vector index and the engines' `nearest` index). A developer tool; the shipped code
 * only embeds the bytes.
 *
 *   deno run -A --no-lock scripts/build_dots_wasm.ts
 */
// A developer tool only (never shipped), hence not in the import map.
// deno-lint-ignore no-import-prefix
import wabtInit from "npm:wabt@1.0.39";

const dir = new URL("../lib/wasm/", import.meta.url);
const wabt = await wabtInit();
const wat = await Deno.readTextFile(new URL("dots.wat", dir));
const bytes = wabt.parseWat("dots.wat", wat, { simd: true }).toBinary({}).buffer;
const b64 = btoa(String.fromCharCode(...bytes));
const target = new URL("dots_wasm.ts", dir);
const text = await Deno.readTextFile(target);
await Deno.writeTextFile(
  target,
  text.replace(/DOTS_WASM_BASE64 =\n {2}"[^"]*"/, `DOTS_WASM_BASE64 =\n  "${b64}"`),
);
console.log(`dots_wasm.ts: ${bytes.length} bytes`);
