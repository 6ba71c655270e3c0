/**
 * memoryOSS's sharing caps on a real server: `[sharing] max_shared_namespaces` per owner (the
 * creating key's namespaces) and `max_grants` per shared namespace; the defaults are 10 / 100.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/mod.ts";
import { assertError, withServer } from "./_api_support.ts";

Deno.test("sharing caps: shares per owner and grants per share, from [sharing]", async () => {
  await withServer(async (s) => {
    const ac = await s.key("admin", ["team-a", "team-c"]);
    const d = await s.key("admin", ["team-d"]);
    const create = (key: string, name: string) =>
      s.req("POST", "/v1/admin/sharing/create", { key, body: { name } });
    assert.equal((await create(ac, "team-a")).status, 200);
    assertError(
      await create(ac, "team-c"),
      400,
      "INVALID_INPUT",
      /owner 'team-a,team-c' has reached the maximum of 1 shared namespaces/,
    );
    // Another owner has its own allowance.
    assert.equal((await create(d, "team-d")).status, 200);

    const grant = (grantee: string) =>
      s.req("POST", "/v1/admin/sharing/team-a/grants/add", {
        key: ac,
        body: { grantee_namespace: grantee },
      });
    const first = await grant("team-b");
    assert.equal(first.status, 200, first.text);
    assert.equal((await grant("team-x")).status, 200);
    assertError(await grant("team-y"), 400, "INVALID_INPUT", /maximum grants \(2\) reached/);
    const revoked = await s.req(
      "DELETE",
      `/v1/admin/sharing/team-a/grants/${first.json.grant_id}`,
      { key: ac },
    );
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await grant("team-y")).status, 200);
  }, { config: "[sharing]\nmax_grants = 2\nmax_shared_namespaces = 1\n" });
});

Deno.test("sharing caps: memoryOSS's defaults and spelling are read without a warning", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-caps-" });
  try {
    const env = (k: string) => (k === "MEMORYOSS_HOME" ? home : undefined);
    const d = await loadConfig({ env });
    assert.equal(d.config.sharing.max_grants, 100);
    assert.equal(d.config.sharing.max_shared_namespaces, 10);
    await Deno.writeTextFile(
      `${home}/memoryoss.toml`,
      "[sharing]\nenabled = true\nmax_grants = 7\nmax_shared_namespaces = 3\n",
    );
    const c = await loadConfig({ env });
    assert.equal(c.config.sharing.max_grants, 7);
    assert.equal(c.config.sharing.max_shared_namespaces, 3);
    assert.deepEqual(c.warnings, []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
