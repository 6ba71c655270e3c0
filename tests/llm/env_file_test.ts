/** `<home>/env`: values round-trip through the dotenv reader, other lines stay, mode 0600. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { homeEnv, readEnvFile, writeEnvFile } from "../../lib/llm/mod.ts";

Deno.test("env file: merged writes, dotenv round trip, 0600", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-envfile-" });
  const path = join(dir, "env");
  await Deno.writeTextFile(path, "# my keys\nKEEP=me\nMEMMAN_LLM_MODEL=old\n");
  const values = {
    MEMMAN_LLM_MODEL: "anthropic/claude-haiku-4.5",
    SPACE: "with space",
    HASH: "has#hash",
    DQ: 'quote"in',
    BS: "back\\slash",
    KEY: "sk-or-v1-abc_DEF.123=",
  };
  await writeEnvFile(path, values);
  assert.deepEqual(readEnvFile(path), { KEEP: "me", ...values });
  const text = await Deno.readTextFile(path);
  assert.match(text, /^# my keys\nKEEP=me\nMEMMAN_LLM_MODEL=anthropic\/claude-haiku-4\.5\n/);
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  await assert.rejects(writeEnvFile(path, { X: "a\nb" }), /one line/);
  await assert.rejects(writeEnvFile(path, { X: `'"\\` }), /cannot hold both/);
  await assert.rejects(writeEnvFile(path, { "1BAD": "x" }), /not a variable name/);

  // The process environment wins over the file.
  const get = homeEnv(dir);
  assert.equal(get("KEEP"), "me");
  assert.equal(get("PATH"), Deno.env.get("PATH"));
  await Deno.remove(dir, { recursive: true });
});
