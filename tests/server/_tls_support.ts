/** Test certificates made by `openssl` (the outside oracle), never by the code under test. */
import assert from "node:assert/strict";
import { dirname } from "node:path";

/** A self-signed P-256 certificate for 127.0.0.1 at `certPath`, its key at `keyPath`. */
export async function opensslSelfSigned(
  certPath: string,
  keyPath: string,
): Promise<{ cert: string; key: string }> {
  await Deno.mkdir(dirname(certPath), { recursive: true });
  await Deno.mkdir(dirname(keyPath), { recursive: true });
  const out = await new Deno.Command("openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
      ...["-keyout", keyPath, "-out", certPath, "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
      ...["-addext", "basicConstraints=critical,CA:FALSE"],
      ...["-addext", "extendedKeyUsage=serverAuth"],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return { cert: await Deno.readTextFile(certPath), key: await Deno.readTextFile(keyPath) };
}

/** `openssl x509 -fingerprint -sha256` of a PEM file: `AB:CD:…`. */
export async function opensslFingerprint(certPath: string): Promise<string> {
  const out = await new Deno.Command("openssl", {
    args: ["x509", "-in", certPath, "-noout", "-fingerprint", "-sha256"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("=")[1];
}
