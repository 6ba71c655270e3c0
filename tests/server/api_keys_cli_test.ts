/**
 * `memoryoss keys` (cli/keys.ts) run as a child process on a temp home: create, list, rotate,
 * revoke; the keys it makes work against the HTTP API. (Runs the module directly until the
 * command is registered in cli/commands.ts.)
 */
import assert from "node:assert/strict";
import { request, spawnServe } from "./_api_support.ts";

const KEYS = new URL("../../cli/keys.ts", import.meta.url).href;
const IO = new URL("../../cli/_io.ts", import.meta.url).href;

async function keys(home: string, ...args: string[]) {
  const code = `import { main } from "${KEYS}"; import { reportError } from "${IO}";
    let rc; try { rc = await main(Deno.args, {}); } catch (e) { rc = reportError(e, Deno.args.includes("--json")); }
    Deno.exit(rc);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "api keys cli: create/list/rotate/revoke keys that the server accepts",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "memoryoss-keys-" });
    try {
      const made = await keys(home, "create", "--role", "writer", "--namespaces", "team", "--json");
      assert.equal(made.code, 0, made.stderr);
      const k = JSON.parse(made.stdout);
      assert.match(k.key, /^ek_/);
      assert.deepEqual(k.namespaces, ["team"]);
      const bad = await keys(home, "create", "--role", "boss");
      assert.equal(bad.code, 3);
      assert.match(bad.stderr, /^memoryoss: error: --role must be/);
      const list = await keys(home, "list");
      assert.match(list.stdout, new RegExp(`${k.key_id}\\s+writer\\s+active\\s+team`));
      assert.ok(!list.stdout.includes(k.key), "list must not show secrets");

      const server = await spawnServe(home, { MEMORYOSS_RATE_LIMIT_PER_SEC: "0" });
      try {
        // Keys existed before the first start: no owner key is created or printed.
        assert.equal(server.printedKey, undefined);
        const stored = await request(`${server.url}/v1/store`, "POST", {
          key: k.key,
          body: { content: "made with a CLI key", namespace: "team" },
        });
        assert.equal(stored.status, 200, stored.text);
        const rot = await keys(home, "rotate", k.key_id, "--grace", "0", "--json");
        assert.equal(rot.code, 0, rot.stderr);
        const k2 = JSON.parse(rot.stdout).key;
        const old = await request(`${server.url}/v1/recall`, "POST", {
          key: k.key,
          body: { query: "CLI key", namespace: "team" },
        });
        assert.equal(old.status, 401);
        const fresh = await request(`${server.url}/v1/recall`, "POST", {
          key: k2,
          body: { query: "CLI key", namespace: "team" },
        });
        assert.equal(fresh.status, 200, fresh.text);
        const rev = await keys(home, "revoke", JSON.parse(rot.stdout).key_id);
        assert.equal(rev.code, 0, rev.stderr);
        const gone = await request(`${server.url}/v1/recall`, "POST", {
          key: k2,
          body: { query: "CLI key", namespace: "team" },
        });
        assert.equal(gone.status, 401);
      } finally {
        await server.kill("SIGTERM");
      }
      const missing = await keys(home, "revoke", "0123456789abcdef");
      assert.equal(missing.code, 4);
    } finally {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test("api keys cli: the last owner key is refused as over HTTP, --force overrides", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-keys-owner-" });
  try {
    const owner = await keys(home, "create", "--role", "admin", "--namespaces", "*", "--json");
    assert.equal(owner.code, 0, owner.stderr);
    const id = JSON.parse(owner.stdout).key_id;
    const refused = await keys(home, "revoke", id);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /^memoryoss: error: refusing to revoke the last owner key/);
    assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
    const forced = await keys(home, "revoke", id, "--force");
    assert.equal(forced.code, 0, forced.stderr);
    const again = await keys(home, "revoke", id);
    assert.match(again.stderr, /already revoked/);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
