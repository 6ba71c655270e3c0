/**
 * `loadConfig` reads the unchanged template without the TOML parser and the schema (start-up
 * of `remember`, docs/benchmarks.md). That is only right while the template holds exactly the
 * schema's defaults, and an edited file must still be checked by the schema.
 */
import assert from "node:assert/strict";
import {
  CONFIG_TEMPLATE,
  loadConfig,
  templateDefaults,
  validateConfig,
} from "../../lib/config/mod.ts";

Deno.test("config: the template's raw values are exactly the schema's defaults", async () => {
  assert.deepEqual(await templateDefaults(), validateConfig({}, "defaults"));
});

Deno.test("config: the unchanged template and an edited file load through the same rules", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = (k: string) => (k === "MEMORYOSS_HOME" ? home : undefined);
    const fresh = await loadConfig({ env }); // writes the template
    assert.equal(await Deno.readTextFile(fresh.configPath!), CONFIG_TEMPLATE);
    assert.deepEqual(fresh.config, validateConfig({}, "defaults"));
    fresh.config.server.port = 1; // a copy: the next load is unaffected
    assert.equal((await loadConfig({ env })).config.server.port, 8000);

    // One edited value: the schema path, same result otherwise.
    await Deno.writeTextFile(
      fresh.configPath!,
      CONFIG_TEMPLATE.replace("port = 8000", "port = 9001"),
    );
    const edited = await loadConfig({ env });
    assert.equal(edited.config.server.port, 9001);
    assert.deepEqual({ ...edited.config, server: fresh.config.server }, {
      ...validateConfig({}, "defaults"),
      server: fresh.config.server,
    });

    // A bad value is still refused with the key's path.
    await Deno.writeTextFile(
      fresh.configPath!,
      CONFIG_TEMPLATE.replace("port = 8000", 'port = "x"'),
    );
    await assert.rejects(() => loadConfig({ env }), /server\.port: .*expected number/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
