/**
 * `serve` with `[tls]` and `[sharing]` from the config, run through main.ts: real HTTPS on
 * 127.0.0.1. The oracles are outside our code: `openssl` makes the given certificates and
 * reads the served one back (`s_client`), and Deno's TLS client trusts exactly that
 * certificate.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertExit, cli, withHome } from "../cli/_helpers.ts";
import { type Child, request, spawnServe } from "./_api_support.ts";
import { opensslFingerprint, opensslSelfSigned } from "./_tls_support.ts";

async function config(home: string, text: string): Promise<void> {
  await Deno.writeTextFile(join(home, "memoryoss.toml"), text);
}

/** The fingerprint serve printed (the line after "SHA-256 fingerprint:"). */
async function printedFingerprint(child: Child): Promise<string> {
  const out = await child.stdout();
  const m = /SHA-256 fingerprint:\n {2}([0-9A-F:]+)\n/.exec(out);
  assert.ok(m, out);
  return m[1];
}

/** The certificate a TLS handshake with host:port presents, as openssl sees it. */
async function servedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const hello = await new Deno.Command("openssl", {
    args: ["s_client", "-connect", `${hostname}:${port}`, "-servername", "localhost"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(hello.stdout);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
  assert.ok(pem, text + new TextDecoder().decode(hello.stderr));
  const file = await Deno.makeTempFile({ suffix: ".pem" });
  try {
    await Deno.writeTextFile(file, pem[0] + "\n");
    return await opensslFingerprint(file);
  } finally {
    await Deno.remove(file);
  }
}

async function healthOver(url: string, cert: string): Promise<number> {
  const client = Deno.createHttpClient({ caCerts: [cert] });
  try {
    return (await request(`${url}/health`, "GET", { client })).status;
  } finally {
    client.close();
  }
}

Deno.test("serve [tls] auto_generate: HTTPS with a self-signed certificate kept in the home", async () => {
  await withHome(async (home) => {
    await config(home, "[tls]\nenabled = true\n");
    const fingerprints: string[] = [];
    for (let run = 0; run < 2; run++) {
      const child = await spawnServe(home);
      try {
        assert.match(child.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const cert = await Deno.readTextFile(join(home, "tls-cert.pem"));
        assert.equal(await healthOver(child.url, cert), 200);
        // Plain HTTP to the TLS port gets no HTTP answer.
        await assert.rejects(fetch(child.url.replace("https:", "http:") + "/health"));
        fingerprints.push(await servedFingerprint(child.url));
      } finally {
        assert.equal((await child.kill("SIGTERM")).code, 0);
      }
      assert.equal(await printedFingerprint(child), fingerprints[run], "printed = served");
      assert.match(await child.stdout(), run ? /TLS \(\// : /made a self-signed certificate/);
    }
    assert.equal(fingerprints[0], fingerprints[1], "the same certificate after a restart");
    assert.equal(fingerprints[0], await opensslFingerprint(join(home, "tls-cert.pem")));
    assert.equal((await Deno.stat(join(home, "tls-key.pem"))).mode! & 0o777, 0o600);
    // Another client without that certificate in its roots refuses the server.
    const child = await spawnServe(home);
    try {
      await assert.rejects(fetch(`${child.url}/health`));
    } finally {
      await child.kill("SIGTERM");
    }
  });
});

Deno.test("serve [tls] cert_path/key_path: serves the given files (relative to the home)", async () => {
  await withHome(async (home) => {
    const made = await opensslSelfSigned(join(home, "tls", "c.pem"), join(home, "tls", "k.pem"));
    await config(home, '[tls]\nenabled = true\ncert_path = "tls/c.pem"\nkey_path = "tls/k.pem"\n');
    const child = await spawnServe(home);
    try {
      assert.equal(await healthOver(child.url, made.cert), 200);
      assert.equal(
        await servedFingerprint(child.url),
        await opensslFingerprint(join(home, "tls", "c.pem")),
      );
    } finally {
      await child.kill("SIGTERM");
    }
    assert.equal(
      await printedFingerprint(child),
      await opensslFingerprint(join(home, "tls", "c.pem")),
    );
    assert.equal(await Deno.stat(join(home, "tls-cert.pem")).catch(() => null), null);
  });
});

Deno.test("config set: tls paths one at a time, then enabled; one path alone is refused", async () => {
  await withHome(async (home) => {
    assertExit(await cli(home, "config", "set", "tls.cert_path", "c.pem"), 0);
    const early = await cli(home, "config", "set", "tls.enabled", "true");
    assertExit(early, 3);
    assert.match(early.stderr, /tls\.cert_path and tls\.key_path must be set together/);
    assertExit(await cli(home, "config", "set", "tls.key_path", "k.pem"), 0);
    assertExit(await cli(home, "config", "set", "tls.enabled", "true"), 0);
    const got = await cli(home, "config", "get", "tls.key_path");
    assert.equal(got.stdout.trim(), "k.pem");
  });
});

Deno.test("serve [tls]: bad settings fail the start with one line, exit 3", async () => {
  await withHome(async (home) => {
    const cases: [string, RegExp][] = [
      [
        '[tls]\nenabled = true\ncert_path = "c.pem"\n',
        /tls\.cert_path and tls\.key_path must be set together/,
      ],
      [
        '[tls]\nenabled = true\ncert_path = "c.pem"\nkey_path = "k.pem"\n',
        /tls\.cert_path .*c\.pem: cannot read \(no such file\)/,
      ],
      [
        "[tls]\nenabled = true\nauto_generate = false\n",
        /tls\.enabled needs tls\.cert_path and tls\.key_path, or tls\.auto_generate = true/,
      ],
    ];
    for (const [text, re] of cases) {
      await config(home, text);
      const r = await cli(home, "serve", "--port", "0");
      assertExit(r, 3);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, re);
    }
  });
});

Deno.test("serve [sharing]: allow_private_webhooks and enabled come from the config", async () => {
  await withHome(async (home) => {
    const create = async (child: Child) =>
      await request(`${child.url}/v1/admin/sharing/create`, "POST", {
        key: child.printedKey ?? (await Deno.readTextFile(join(home, "admin.key"))).trim(),
        body: { name: "default", webhook_url: "http://127.0.0.1:9/hook" },
      });
    let child = await spawnServe(home);
    try {
      const refused = await create(child);
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.text, /allow_private_webhooks/);
    } finally {
      await child.kill("SIGTERM");
    }
    await config(home, "[sharing]\nallow_private_webhooks = true\n");
    child = await spawnServe(home);
    try {
      const ok = await create(child);
      assert.equal(ok.status, 200, ok.text);
    } finally {
      await child.kill("SIGTERM");
    }
    await config(home, "[sharing]\nenabled = false\n");
    child = await spawnServe(home);
    try {
      assert.equal((await create(child)).status, 404);
    } finally {
      await child.kill("SIGTERM");
    }
  });
});
