/**
 * API keys from the config's `[[auth.api_keys]]` (memoryOSS's static keys) authenticate like
 * keys from `memoryoss keys create`: same key id (`hex(sha256(key))[0..16]`, computed here by
 * hand), role and namespace, tokens from `/v1/auth/token`; they are never stored, and the API
 * cannot revoke them (they live in the config).
 */
import assert from "node:assert/strict";
import { request, withServer } from "./_api_support.ts";

const WRITER = "ek_config_writer_key_0001";
const OWNER = "ek_config_owner_key_00001";
const CONFIG = `[[auth.api_keys]]
key = "${WRITER}"
role = "writer"
namespace = "team-a"

[[auth.api_keys]]
key = "${OWNER}"
role = "admin"
namespace = "*"
`;

async function keyId(key: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return Array.from(d.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("config api keys: role, namespace, tokens and key id as for created keys", async () => {
  await withServer(async (s) => {
    const stored = await request(`${s.url}/v1/store`, "POST", {
      key: WRITER,
      body: { content: "Team A ships on Tuesdays." },
    });
    assert.equal(stored.status, 200, stored.text);
    assert.equal(s.rt.store.count({ namespace: "team-a", archived: "include" }), 1);
    const other = await request(`${s.url}/v1/store`, "POST", {
      key: WRITER,
      body: { content: "Not mine to write.", namespace: "team-b" },
    });
    assert.equal(other.status, 403, other.text);
    const forget = await request(`${s.url}/v1/forget`, "DELETE", {
      key: WRITER,
      body: { ids: [stored.json.id] },
    });
    assert.equal(forget.status, 403, "writer may not forget");
    // The owner key from the config reaches every namespace.
    const listed = await request(`${s.url}/v1/memories?namespace=team-a`, "GET", { key: OWNER });
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.memories.length, 1);
    // memoryOSS provenance: the key id is the first 16 hex digits of the key's SHA-256.
    const id = await keyId(WRITER);
    assert.ok(s.logs.some((l) => l.includes("POST /v1/store 200") && l.includes(`key=${id}`)));

    const tok = await request(`${s.url}/v1/auth/token`, "POST", { body: { api_key: WRITER } });
    assert.equal(tok.status, 200, tok.text);
    const viaToken = await request(`${s.url}/v1/memories`, "GET", { key: tok.json.token });
    assert.equal(viaToken.status, 200, viaToken.text);
    assert.equal(viaToken.json.namespace, "team-a");

    // Not in the table: nothing stored, nothing to revoke over the API.
    const row = s.rt.store.db.prepare("SELECT count(*) AS n FROM api_keys WHERE key_id = ?")
      .get(id) as { n: number };
    assert.equal(row.n, 0);
    const revoke = await request(`${s.url}/v1/admin/keys/${id}`, "DELETE", { key: OWNER });
    assert.equal(revoke.status, 404, revoke.text);
    assert.equal((await request(`${s.url}/v1/memories`, "GET", { key: WRITER })).status, 200);
    assert.equal(
      (await request(`${s.url}/v1/memories`, "GET", { key: `${WRITER}x` })).status,
      401,
    );
  }, { config: CONFIG });
});
