/**
 * HTTPS material for `serve`: memoryOSS's `[tls] auto_generate = true` makes a self-signed
 * certificate when none is configured. This builds one with Web Crypto (ECDSA P-256, SHA-256)
 * and a small DER writer: X.509 v3, CA:FALSE, serverAuth, subjectAltName for the given hosts
 * (IPv4 literals as IP addresses, names as DNS names), valid for a year. The key is PKCS#8.
 * `ensureSelfSignedTls` keeps the pair in the home (`tls-cert.pem`, `tls-key.pem` 0600) so
 * clients can pin it across restarts.
 *
 * @module
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";

export const TLS_CERT_FILE = "tls-cert.pem";
export const TLS_KEY_FILE = "tls-key.pem";

type Bytes = Uint8Array<ArrayBuffer>;

function len(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) out.unshift(x & 0xff);
  return [0x80 | out.length, ...out];
}

/** One DER element: tag, length, contents. */
function der(tag: number, ...parts: (Bytes | number[])[]): Bytes {
  const body = parts.flatMap((p) => [...p]);
  return new Uint8Array([tag, ...len(body.length), ...body]);
}

const seq = (...p: Bytes[]) => der(0x30, ...p);
const set = (...p: Bytes[]) => der(0x31, ...p);
const explicit = (n: number, p: Bytes) => der(0xa0 + n, p);
const octets = (p: Bytes) => der(0x04, p);
const utf8 = (s: string) => der(0x0c, [...new TextEncoder().encode(s)]);

function oid(dotted: string): Bytes {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let x = Math.floor(n / 128); x > 0; x = Math.floor(x / 128)) {
      chunk.unshift(0x80 | (x & 0x7f));
    }
    out.push(...chunk);
  }
  return der(0x06, out);
}

/** A non-negative INTEGER from big-endian bytes (leading zeros trimmed, sign byte added). */
function uint(bytes: Uint8Array): Bytes {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = [...bytes.slice(i)];
  return der(0x02, v[0] & 0x80 ? [0, ...v] : v);
}

function utcTime(d: Date): Bytes {
  const p = (n: number) => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, [...new TextEncoder().encode(s)]);
}

function altName(host: string): Bytes {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return der(0x87, v4.slice(1).map(Number));
  if (!/^[A-Za-z0-9.-]+$/.test(host)) {
    throw new MemoryossError("INVALID_INPUT", `tls host '${host}': a DNS name or IPv4 address`);
  }
  return der(0x82, [...new TextEncoder().encode(host)]);
}

const extension = (id: string, critical: boolean, value: Bytes) =>
  seq(oid(id), ...(critical ? [der(0x01, [0xff])] : []), octets(value));

const pem = (label: string, bytes: Uint8Array) => {
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/.{64}/g, "$&\n").trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
};

/**
 * A fresh self-signed certificate and key (PEM) for `hosts`.
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
  const pair = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const name = seq(set(seq(oid("2.5.4.3"), utf8("memoryoss self-signed"))));
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, der(0x02, [2])),
    uint(serial),
    ecdsaSha256,
    name,
    seq(
      utcTime(new Date(now.getTime() - 3600_000)),
      utcTime(new Date(now.getTime() + 365 * 86400_000)),
    ),
    name,
    spki,
    explicit(
      3,
      seq(
        extension("2.5.29.19", true, seq()),
        extension("2.5.29.15", true, der(0x03, [0x07, 0x80])),
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))),
        extension("2.5.29.17", false, seq(...[...new Set(hosts)].map(altName))),
      ),
    ),
  );
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, tbs),
  );
  const signature = seq(uint(raw.slice(0, 32)), uint(raw.slice(32)));
  const cert = seq(tbs, ecdsaSha256, der(0x03, [0, ...signature]));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { cert: pem("CERTIFICATE", cert), key: pem("PRIVATE KEY", pkcs8) };
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
