/**
 * The offline single-file artifact: `deno bundle` of bundle_entry.ts (main.ts with every command
 * module imported statically) runs the CLI end to end (the
 * release binary is built from the same entry point by the release workflow, which can
 * download Deno's compile runtime; this machine cannot).
 */
import assert from "node:assert/strict";
import { basename } from "node:path";
import { RUNTIME_ASSETS } from "../scripts/compile.ts";

const ROOT = new URL("../", import.meta.url).pathname;
/** The repo's byte-identical copy of the published passport fixture (conformance/README.md). */
const FIXTURE = new URL("../conformance/fixtures/passport-bundle.json", import.meta.url).pathname;

async function run(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("bundle: deno bundle of the CLI stores, recalls and reads artifacts offline", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-bundle-" });
  try {
    const js = `${dir}/memoryoss.js`;
    const b = await run(["bundle", "--platform=deno", "-o", js, "bundle_entry.ts"]);
    assert.equal(b.code, 0, b.stderr);
    // Assets are read relative to the module, so they sit beside the bundle as in the repo.
    // A bundle is one module, so every `./assets/…` of lib/ resolves to one folder beside it.
    await Deno.mkdir(`${dir}/assets`, { recursive: true });
    for (const a of RUNTIME_ASSETS) {
      if ((await Deno.stat(`${ROOT}${a}`)).isDirectory) {
        for await (const e of Deno.readDir(`${ROOT}${a}`)) {
          await Deno.copyFile(`${ROOT}${a}/${e.name}`, `${dir}/assets/${e.name}`);
        }
      } else await Deno.copyFile(`${ROOT}${a}`, `${dir}/assets/${basename(a)}`);
    }
    const env = { MEMORYOSS_HOME: `${dir}/home` };
    const cli = (...a: string[]) => run(["run", "--no-config", "-A", js, ...a], env);
    assert.match((await cli("--version")).stdout, /^memoryoss \d+\.\d+\.\d+/);
    const stored = await cli("store", "-n", "smoke", "Deploy only after staging signoff.");
    assert.equal(stored.code, 0, stored.stderr);
    const recalled = await cli("recall", "-n", "smoke", "--json", "when can we ship?");
    assert.equal(recalled.code, 0, recalled.stderr);
    assert.equal(
      JSON.parse(recalled.stdout).memories[0].content,
      "Deploy only after staging signoff.",
    );
    // The reader needs nothing but read access.
    const reader = await run(["run", "--no-config", "--allow-read", js, "reader", "open", FIXTURE]);
    assert.equal(reader.code, 0, reader.stderr);
    assert.match(reader.stdout, /integrity\s+valid/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
