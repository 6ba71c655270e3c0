/**
 * A fake HashiCorp Vault on 127.0.0.1 speaking Vault's real Transit API
 * (`POST /v1/transit/encrypt/<key>` `{plaintext: base64}` → `{data:{ciphertext:"vault:v1:…"}}`,
 * `…/decrypt/<key>`, `X-Vault-Token`, 403 `{"errors":["permission denied"]}`), wrapping with
 * its own AES-GCM key as Vault does. `unwrap` lets a test read a ciphertext the way Vault
 * would, independently of our client.
 */
import { Buffer } from "node:buffer";

export const TOKEN = "hvs.fake-vault-token-for-tests";

/** A fake Vault Transit server; `calls` lists "op token-ok" per request. */
export async function fakeVault() {
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  const calls: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const m = /^\/v1\/transit\/(encrypt|decrypt)\/memoryoss$/.exec(new URL(req.url).pathname);
    const ok = req.headers.get("x-vault-token") === TOKEN;
    calls.push(`${m?.[1] ?? new URL(req.url).pathname} ${ok ? "token-ok" : "bad-token"}`);
    if (!ok) return Response.json({ errors: ["permission denied"] }, { status: 403 });
    if (!m || req.method !== "POST") return Response.json({ errors: [] }, { status: 404 });
    const body = await req.json();
    if (m[1] === "encrypt") {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = Buffer.from(body.plaintext, "base64");
      const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain));
      const blob = Buffer.concat([iv, ct]).toString("base64");
      return Response.json({ data: { ciphertext: `vault:v1:${blob}`, key_version: 1 } });
    }
    const raw = Buffer.from(String(body.ciphertext).replace(/^vault:v1:/, ""), "base64");
    try {
      const pt = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: raw.subarray(0, 12) },
        key,
        raw.subarray(12),
      );
      return Response.json({ data: { plaintext: Buffer.from(pt).toString("base64") } });
    } catch {
      return Response.json({ errors: ["cipher: message authentication failed"] }, {
        status: 400,
      });
    }
  });
  /** What Vault would decrypt `ciphertext` to (the test's own oracle). */
  const unwrap = async (ciphertext: string): Promise<Uint8Array<ArrayBuffer>> => {
    const raw = Buffer.from(ciphertext.replace(/^vault:v1:/, ""), "base64");
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: raw.subarray(0, 12) },
      key,
      raw.subarray(12),
    );
    return new Uint8Array(pt);
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    calls,
    unwrap,
    stop: () => server.shutdown(),
  };
}
