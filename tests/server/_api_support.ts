/**
 * Helpers for the HTTP API tests: a real server on a random loopback port over a temp home,
 * keys per role and namespace, and a small JSON client that always consumes bodies.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import { createApiKey, type Role, type Scope } from "../../lib/auth/mod.ts";
import type { Runtime } from "../../lib/memory/mod.ts";
import { type ServerOptions, startServer } from "../../lib/server/mod.ts";

/** Parsed JSON; tests index into it freely. */
// deno-lint-ignore no-explicit-any
export type Json = any;

/** One response, body already read. */
export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

/** Request options. */
export interface ReqOpts {
  key?: string;
  /** JSON-encoded unless it is a string or bytes. */
  body?: unknown;
  headers?: Record<string, string>;
  /** For HTTPS with a certificate the default roots do not hold. */
  client?: Deno.HttpClient;
}

/** A running test server. */
export interface TestServer {
  url: string;
  rt: Runtime;
  home: string;
  /** The owner key (admin on every namespace). */
  admin: string;
  logs: string[];
  secret: Uint8Array;
  req(method: string, path: string, opts?: ReqOpts): Promise<Res>;
  key(role: Role, namespaces: Scope): Promise<string>;
}

/** Send one request and read the whole body. */
export async function request(url: string, method: string, opts: ReqOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" || opts.body instanceof Uint8Array
      ? opts.body as BodyInit
      : JSON.stringify(opts.body);
  }
  const res = await fetch(url, { method, headers, body, client: opts.client });
  const text = await res.text();
  let json: Json = null;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

/** Assert an error response: status, code, and the documented body shape. */
export function assertError(r: Res, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.equal(typeof r.json.error.message, "string");
  assert.ok(r.json.error.message.length > 0);
  assert.ok(Array.isArray(r.json.error.path), r.text);
  if (message) assert.match(r.json.error.message, message);
}

/** Run `fn` against a fresh server; everything is closed afterwards. */
export async function withServer(
  fn: (s: TestServer) => Promise<void>,
  opts: { config?: string; server?: ServerOptions } = {},
): Promise<void> {
  await using t = await tempRuntime(opts.config ?? "");
  const logs: string[] = [];
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const server = await startServer(t.rt, "127.0.0.1", 0, {
    rateLimitPerSec: 0,
    jwtSecret: secret,
    log: (_l, line) => logs.push(line),
    ...opts.server,
  });
  try {
    const admin = (await createApiKey(t.rt.store, { role: "admin", namespaces: "*" }))!.key;
    await fn({
      url: server.url,
      rt: t.rt,
      home: t.home,
      admin,
      logs,
      secret,
      req: (method, path, o) => request(`${server.url}${path}`, method, o),
      key: async (role, namespaces) => (await createApiKey(t.rt.store, { role, namespaces }))!.key,
    });
  } finally {
    await server.shutdown();
  }
}

/** Count rows in a namespace directly in the store (archived included). */
export function countIn(rt: Runtime, namespace: string): number {
  return rt.store.count({ namespace, archived: "include" });
}

/** A `memoryoss serve` child process. */
export interface Child {
  url: string;
  /** The admin key printed on first start (undefined on later starts). */
  printedKey?: string;
  stdout: () => Promise<string>;
  stderr: () => Promise<string>;
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Start `memoryoss serve --port 0` on `home` and wait for "listening on". */
export async function spawnServe(home: string, env: Record<string, string> = {}): Promise<Child> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", "--port", "0"],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let out = "";
  const listening = Promise.withResolvers<string>();
  const stdout = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      out += chunk;
      const m = /memoryoss listening on (https?:\/\/\S+)/.exec(out);
      if (m) listening.resolve(m[1]);
    }
    listening.reject(new Error(`serve ended without listening:\n${out}\n${await stderr}`));
    return out;
  })();
  const timer = setTimeout(
    () => listening.reject(new Error("serve did not start in 30 s")),
    30_000,
  );
  const status = child.status;
  let url: string;
  try {
    url = await listening.promise;
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await Promise.all([status, stdout.catch(() => {}), stderr]);
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const printed = /created the admin API key[^\n]*\n\s+(ek_\S+)/.exec(out)?.[1];
  return {
    url,
    printedKey: printed,
    stdout: () => stdout,
    stderr: () => stderr,
    async kill(signal) {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
      const st = await status;
      await Promise.all([stdout, stderr]);
      return st;
    },
  };
}
