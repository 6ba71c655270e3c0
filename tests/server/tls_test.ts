/**
 * HTTPS: `startServer` with a certificate and key serves TLS on loopback. The certificate is a
 * self-signed one made by `openssl` for 127.0.0.1 in a temp folder; the client trusts exactly
 * that certificate. Plain HTTP to the TLS port gets no answer; bad PEM text fails the start.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempRuntime } from "../_support/runtime.ts";
import { createApiKey } from "../../lib/auth/mod.ts";
import { ensureSelfSignedTls, startServer } from "../../lib/server/mod.ts";

async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-addext",
      "extendedKeyUsage=serverAuth",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return {
    cert: await Deno.readTextFile(join(dir, "cert.pem")),
    key: await Deno.readTextFile(join(dir, "key.pem")),
  };
}

Deno.test("serve over HTTPS with a certificate and key (self-signed, openssl)", async () => {
  await using t = await tempRuntime("");
  const dir = await Deno.makeTempDir();
  try {
    const tls = await selfSigned(dir);
    const server = await startServer(t.rt, "127.0.0.1", 0, {
      log: () => {},
      jwtSecret: crypto.getRandomValues(new Uint8Array(32)),
      tls,
    });
    const client = Deno.createHttpClient({ caCerts: [tls.cert] });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${server.url}/health`, { client });
      assert.equal(health.status, 200);
      assert.equal((await health.json()).status, "ok");
      const key = (await createApiKey(t.rt.store, { role: "writer", namespaces: ["n"] }))!.key;
      const st = await fetch(`${server.url}/v1/store`, {
        client,
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ content: "Stored over TLS." }),
      });
      assert.equal(st.status, 200, await st.text());
      // without trusting the certificate the handshake fails
      await assert.rejects(fetch(`${server.url}/health`).then((r) => r.body?.cancel()));
      // plain HTTP on the TLS port gets no HTTP answer
      const plain = server.url.replace("https://", "http://");
      await assert.rejects(
        fetch(`${plain}/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.text()),
      );
    } finally {
      client.close();
      await server.shutdown();
    }
    await assert.rejects(
      startServer(t.rt, "127.0.0.1", 0, {
        log: () => {},
        jwtSecret: new Uint8Array(32).fill(1),
        tls: { cert: "not pem", key: tls.key },
      }),
      /not a PEM certificate/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a generated self-signed certificate: openssl reads it, HTTPS works with it", async () => {
  await using t = await tempRuntime("");
  const made = await ensureSelfSignedTls(t.home, ["127.0.0.1", "localhost"]);
  assert.equal(made.created, true);
  assert.equal((await Deno.stat(join(t.home, "tls-key.pem"))).mode! & 0o777, 0o600);
  const again = await ensureSelfSignedTls(t.home, ["127.0.0.1"]);
  assert.equal(again.created, false);
  assert.equal(again.cert, made.cert, "kept across restarts");

  // the independent reader: openssl parses the certificate and checks its signature
  const certPath = join(t.home, "tls-cert.pem");
  const text = await new Deno.Command("openssl", {
    args: ["x509", "-in", certPath, "-noout", "-text"],
    stdout: "piped",
  }).output();
  assert.equal(text.code, 0);
  const out = new TextDecoder().decode(text.stdout);
  assert.match(out, /Version: 3/);
  assert.match(out, /ecdsa-with-SHA256/);
  assert.match(out, /CA:FALSE/);
  assert.match(out, /TLS Web Server Authentication/);
  assert.match(out, /IP Address:127\.0\.0\.1, DNS:localhost/);
  const verify = await new Deno.Command("openssl", {
    args: ["verify", "-CAfile", certPath, certPath],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(verify.code, 0, new TextDecoder().decode(verify.stderr));

  const server = await startServer(t.rt, "127.0.0.1", 0, {
    log: () => {},
    jwtSecret: crypto.getRandomValues(new Uint8Array(32)),
    tls: { cert: made.cert, key: made.key },
  });
  const client = Deno.createHttpClient({ caCerts: [made.cert] });
  try {
    const r = await fetch(`${server.url}/health`, { client });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).status, "ok");
  } finally {
    client.close();
    await server.shutdown();
  }
});
