import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, type Json } from "../cli/_helpers.ts";

const SECRETS = {
  embed: "sk-embed-SECRET-1111",
  upstream: "sk-upstream-SECRET-2222",
  anthropic: "sk-ant-SECRET-3333",
  proxyKey: "proxy-key-SECRET-4444",
  mapped: "sk-mapped-SECRET-5555",
};

const CONFIG = `
[embeddings]
api_key = "${SECRETS.embed}"
[proxy]
upstream_api_key = "${SECRETS.upstream}"
anthropic_api_key = "${SECRETS.anthropic}"
[[proxy.key_mapping]]
proxy_key = "${SECRETS.proxyKey}"
upstream_key = "${SECRETS.mapped}"
namespace = "team"
`;

async function homeWithSecrets(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-config-show-" });
  await Deno.writeTextFile(join(home, "memoryoss.toml"), CONFIG, { mode: 0o600 });
  await Deno.chmod(join(home, "memoryoss.toml"), 0o600);
  return home;
}

Deno.test("config show: no secret is printed in clear, text or JSON", async () => {
  const home = await homeWithSecrets();
  for (const args of [["config", "show"], ["config", "show", "--json"]]) {
    const r = await cli(home, ...args);
    assert.equal(r.code, 0, r.stderr);
    for (const s of Object.values(SECRETS)) {
      assert.ok(!r.stdout.includes(s), `${args.join(" ")} printed ${s}`);
      assert.ok(!r.stderr.includes(s), `${args.join(" ")} logged ${s}`);
    }
  }
  const j: Json = (await cli(home, "config", "show", "--json")).json();
  assert.equal(j.config.proxy.upstream_api_key, "***");
  assert.equal(j.config.proxy.key_mapping[0].proxy_key, "***");
  assert.equal(j.config.proxy.key_mapping[0].namespace, "team"); // not a secret
  assert.equal(j.config.llm.api_key_env, "MEMORYOSS_LLM_API_KEY"); // names a variable only
});

Deno.test("config show --show-secrets reveals them on request", async () => {
  const home = await homeWithSecrets();
  const j: Json = (await cli(home, "config", "show", "--json", "--show-secrets")).json();
  assert.equal(j.config.proxy.upstream_api_key, SECRETS.upstream);
  assert.equal(j.config.proxy.key_mapping[0].upstream_key, SECRETS.mapped);
  assert.equal(j.config.embeddings.api_key, SECRETS.embed);
});

Deno.test({
  name: "config: the first run writes memoryoss.toml with mode 0600; show warns on 0644",
  ignore: Deno.build.os === "windows", // no POSIX file modes there
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-config-mode-" });
    const r = await cli(home, "config", "path");
    assert.equal(r.code, 0, r.stderr);
    const path = join(home, "memoryoss.toml");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    await Deno.chmod(path, 0o644);
    const shown = await cli(home, "config", "show");
    assert.equal(shown.code, 0);
    assert.match(shown.stderr, /readable by other users \(mode 644\): chmod 600 /);
  },
});
