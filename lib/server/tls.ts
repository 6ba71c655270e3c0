/**
 * HTTPS material for `serve` (`[tls]`, memoryOSS's spelling). With `cert_path`/`key_path` those
 * PEM files are served (relative paths against the home); a configured file that is missing
 * fails the start, as in memoryOSS, whose `auto_generate` also applies only when no paths are
 * set. Without paths and with `auto_generate`, a self-signed certificate (ECDSA P-256, SHA-256,
 * X.509 v3, CA:FALSE, serverAuth, subjectAltName for the hosts, a year) is built with
 * `@peculiar/x509` over Web Crypto and kept in the home (`tls-cert.pem`, `tls-key.pem` 0600)
 * so clients can pin it across restarts.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";

export const TLS_CERT_FILE = "tls-cert.pem";
export const TLS_KEY_FILE = "tls-key.pem";

/** The `[tls]` keys `resolveTls` reads. */
export interface TlsSettings {
  enabled: boolean;
  auto_generate: boolean;
  cert_path: string;
  key_path: string;
}

/** What `serve` hands to `startServer`, plus what it prints. */
export interface ResolvedTls {
  cert: string;
  key: string;
  /** SHA-256 of the certificate's DER bytes, colon-separated upper-case hex (as openssl). */
  fingerprint: string;
  /** Where the pair came from; `created`: made just now. */
  source: { cert: string; key: string; created: boolean };
}

/** `@peculiar/x509` (and the `reflect-metadata` polyfill it needs), loaded on first use. */
async function x509() {
  await import("reflect-metadata");
  const lib = await import("@peculiar/x509");
  lib.cryptoProvider.set(crypto);
  return lib;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * A fresh self-signed certificate and key (PEM) for `hosts` (IP literals as IP addresses,
 * names as DNS names).
 *
 * @example
 * ```ts
 * const { cert, key } = await selfSignedTls(["127.0.0.1", "localhost"]);
 * Deno.serve({ cert, key, port: 8443 }, handler);
 * ```
 */
export async function selfSignedTls(
  hosts: string[],
  now = new Date(),
): Promise<{ cert: string; key: string }> {
  const names = [...new Set(hosts)].map((h) => {
    if (IPV4.test(h) || h.includes(":")) return { type: "ip" as const, value: h };
    if (!/^[A-Za-z0-9.-]+$/.test(h)) {
      throw new MemoryossError("INVALID_INPUT", `tls host '${h}': a DNS name or IP address`);
    }
    return { type: "dns" as const, value: h };
  });
  const lib = await x509();
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]) as CryptoKeyPair;
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] &= 0x7f;
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: [...serial].map((b) => b.toString(16).padStart(2, "0")).join(""),
    name: "CN=memoryoss self-signed",
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 365 * 86400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      new lib.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  return {
    cert: cert.toString("pem") + "\n",
    key: lib.PemConverter.encode(pkcs8.buffer, "PRIVATE KEY") + "\n",
  };
}

/**
 * The home's self-signed pair: read from `tls-cert.pem`/`tls-key.pem`, or made for `hosts`
 * and written (the key 0600) on first use.
 *
 * @example
 * ```ts
 * const tls = await ensureSelfSignedTls(home, ["127.0.0.1", "localhost"]);
 * ```
 */
export async function ensureSelfSignedTls(
  home: string,
  hosts: string[],
): Promise<{ cert: string; key: string; created: boolean }> {
  const certPath = join(home, TLS_CERT_FILE);
  const keyPath = join(home, TLS_KEY_FILE);
  try {
    return {
      cert: await Deno.readTextFile(certPath),
      key: await Deno.readTextFile(keyPath),
      created: false,
    };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const made = await selfSignedTls(hosts);
  await Deno.writeTextFile(keyPath, made.key, { mode: 0o600 });
  await Deno.writeTextFile(certPath, made.cert);
  return { ...made, created: true };
}

/**
 * SHA-256 fingerprint of the first certificate in PEM text, as `openssl x509 -fingerprint
 * -sha256` prints it (`AB:CD:…`).
 *
 * @example
 * ```ts
 * certFingerprint(pem); // "3F:0A:…"
 * ```
 */
export async function certFingerprint(pem: string): Promise<string> {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new MemoryossError("INVALID_CONFIG", "tls certificate: not a PEM certificate");
  const der = Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  return [...sum].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

async function readPem(path: string, key: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new MemoryossError(
      e instanceof Deno.errors.NotFound ? "INVALID_CONFIG" : "IO",
      `tls.${key} ${path}: cannot read (${why}); auto_generate applies only when ` +
        `tls.cert_path and tls.key_path are both unset`,
      ["tls", key],
    );
  }
}

/**
 * The certificate and key `serve` uses for `[tls]` (undefined: plain HTTP). Configured files
 * win; else `auto_generate` keeps a self-signed pair in the home for `host`, `localhost` and
 * `127.0.0.1`; else INVALID_CONFIG.
 *
 * @example
 * ```ts
 * const tls = await resolveTls(config.tls, home, "127.0.0.1");
 * if (tls) console.log(tls.fingerprint);
 * ```
 */
export async function resolveTls(
  t: TlsSettings,
  home: string,
  host: string,
): Promise<ResolvedTls | undefined> {
  if (!t.enabled) return undefined;
  if (t.cert_path !== "" || t.key_path !== "") {
    if (t.cert_path === "" || t.key_path === "") {
      throw new MemoryossError(
        "INVALID_CONFIG",
        "tls.cert_path and tls.key_path must be set together",
        ["tls"],
      );
    }
    const at = (p: string) => isAbsolute(p) ? p : join(home, p);
    const source = { cert: at(t.cert_path), key: at(t.key_path), created: false };
    const cert = await readPem(source.cert, "cert_path");
    const key = await readPem(source.key, "key_path");
    return { cert, key, fingerprint: await certFingerprint(cert), source };
  }
  if (!t.auto_generate) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      "tls.enabled needs tls.cert_path and tls.key_path, or tls.auto_generate = true",
      ["tls"],
    );
  }
  const hosts = [host, "localhost", "127.0.0.1"].filter((h) => h !== "0.0.0.0" && h !== "::");
  const made = await ensureSelfSignedTls(home, hosts);
  const source = { cert: join(home, TLS_CERT_FILE), key: join(home, TLS_KEY_FILE) };
  return {
    cert: made.cert,
    key: made.key,
    fingerprint: await certFingerprint(made.cert),
    source: { ...source, created: made.created },
  };
}
