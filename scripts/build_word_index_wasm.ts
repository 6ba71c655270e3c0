/**
 * Regenerate lib/embed/word_index_wasm.ts from lib/embed/word_index.wat (the builtin
 * embedder's word-index pass). A developer tool; the shipped code only embeds the bytes.
 *
 *   deno run -A --no-lock scripts/build_word_index_wasm.ts
 */
// A developer tool only (never shipped), hence not in the import map.
// deno-lint-ignore no-import-prefix
import wabtInit from "npm:wabt@1.0.39";

const dir = new URL("../lib/embed/", import.meta.url);
const wabt = await wabtInit();
const wat = await Deno.readTextFile(new URL("word_index.wat", dir));
const bytes = wabt.parseWat("word_index.wat", wat, {}).toBinary({}).buffer;
const b64 = btoa(String.fromCharCode(...bytes));
const target = new URL("word_index_wasm.ts", dir);
const text = await Deno.readTextFile(target);
await Deno.writeTextFile(
  target,
  text.replace(/WORD_INDEX_WASM_BASE64 =\n {2}"[^"]*"/, `WORD_INDEX_WASM_BASE64 =\n  "${b64}"`),
);
console.log(`word_index_wasm.ts: ${bytes.length} bytes`);
