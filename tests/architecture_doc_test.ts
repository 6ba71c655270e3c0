/** docs/architecture.md is the map of what exists: every lib/ folder, and no folder that is not. */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const ROW = /^\| `([a-z_]+)` \| [^|]+ \| (.+) \|$/gm;

Deno.test("docs/architecture.md lists every lib/ folder, none that does not exist, true faces", async () => {
  const doc = await Deno.readTextFile(new URL("docs/architecture.md", ROOT));
  const folders: string[] = [];
  for await (const e of Deno.readDir(new URL("lib/", ROOT))) {
    if (e.isDirectory) folders.push(e.name);
  }
  const rows = [...doc.matchAll(ROW)].map((m) => ({ folder: m[1], face: m[2] }));
  const named = rows.map((r) => r.folder);
  for (const f of folders) {
    assert.ok(named.includes(f), `lib/${f} is missing from docs/architecture.md`);
  }
  for (const { folder, face } of rows) {
    assert.ok(folders.includes(folder), `docs/architecture.md names lib/${folder}: no such folder`);
    const mod = await Deno.readTextFile(new URL(`lib/${folder}/mod.ts`, ROOT));
    for (const [, name] of face.matchAll(/`([A-Za-z_]+)`/g)) {
      assert.match(
        mod,
        new RegExp(`\\b${name}\\b`),
        `lib/${folder}/mod.ts does not export ${name}`,
      );
    }
  }
});
