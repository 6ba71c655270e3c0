/**
 * Outside-in helpers for the fault/load probes: run the shipped CLI (`main.ts`) as child
 * processes on throw-away homes, start `serve` on a loopback port, talk HTTP. Nothing here
 * imports lib/: the probes see memoryoss only as a user (or a crash) would.
 */

/** The CLI entry point the probes run. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

/** One probe's outcome: a line of figures, and whether every check held. */
export interface ProbeResult {
  line: string;
  ok: boolean;
}

/** What one CLI run produced. */
export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp folder, removed on dispose (kept when MEMORYOSS_FAULT_KEEP is set, to look inside). */
export async function tempDir(prefix: string): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: `memoryoss-fl-${prefix}-` });
  return {
    path,
    [Symbol.asyncDispose]: () =>
      Deno.env.get("MEMORYOSS_FAULT_KEEP") ? Promise.resolve() : Deno.remove(path, {
        recursive: true,
      }).catch(() => {}),
  };
}

/** Environment of every child: the home, no colours, nothing else of ours leaks in. */
export function childEnv(home: string): Record<string, string> {
  return { MEMORYOSS_HOME: home, NO_COLOR: "1", MEMORYOSS_RATE_LIMIT_PER_SEC: "0" };
}

/** Spawn `memoryoss ARGS…` on `home` (the caller owns the process). */
export function spawnCmd(
  home: string,
  args: string[],
  io: { stdout?: "piped" | "null"; stderr?: "piped" | "null" } = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: childEnv(home),
    stdin: "null",
    stdout: io.stdout ?? "piped",
    stderr: io.stderr ?? "piped",
  }).spawn();
}

/** Run `memoryoss ARGS…` on `home` to the end. */
export async function cmd(home: string, args: string[]): Promise<CmdResult> {
  const out = await spawnCmd(home, args).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Run a command that must succeed and print JSON; its parsed output. */
// deno-lint-ignore no-explicit-any
export async function cmdJson(home: string, args: string[]): Promise<any> {
  const r = await cmd(home, args);
  if (r.code !== 0) {
    throw new Error(`memoryoss ${args.join(" ")}: exit ${r.code}: ${r.stderr.trim()}`);
  }
  return JSON.parse(r.stdout);
}

/** An admin API key made with `memoryoss keys create` (this also creates the home). */
export async function adminKey(home: string): Promise<string> {
  const k = await cmdJson(home, [
    "keys",
    "create",
    "--role",
    "admin",
    "--namespaces",
    "*",
    "--json",
  ]);
  return k.key as string;
}

/** A running `memoryoss serve`. */
export interface Serve {
  url: string;
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Start `memoryoss serve --port 0` on `home` and wait (at most 30 s) for "listening on". */
export async function startServe(home: string): Promise<Serve> {
  const child = spawnCmd(home, ["serve", "--host", "127.0.0.1", "--port", "0"]);
  const stderr = new Response(child.stderr).text();
  const listening = Promise.withResolvers<string>();
  const stdout = (async () => {
    let out = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      out += chunk;
      const m = /memoryoss listening on (http:\/\/\S+)/.exec(out);
      if (m) listening.resolve(m[1]);
    }
    listening.reject(new Error(`serve ended without listening: ${out} ${await stderr}`));
  })();
  const timer = setTimeout(
    () => listening.reject(new Error("serve did not start in 30 s")),
    30_000,
  );
  const kill = async (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
    const st = await child.status;
    await Promise.all([stdout.catch(() => {}), stderr]);
    return st;
  };
  try {
    return { url: await listening.promise, kill };
  } catch (e) {
    await kill("SIGKILL");
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** One HTTP answer, body read. */
export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  json: any;
  text: string;
}

/** One request with a bearer key; throws only when the connection fails. */
export async function http(
  url: string,
  method: string,
  key: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

/** Run `fn(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await fn(next++);
  }));
}

const WORDS = (
  "anchor bamboo cactus dolphin ember falcon glacier harbor igloo jasmine kettle lantern " +
  "meadow nectar orchid pepper quartz radish saddle tundra umbrella velvet walnut xylophone " +
  "yogurt zephyr acorn blizzard canyon drizzle eclipse fjord geyser hammock iceberg jungle " +
  "kayak lagoon mango nutmeg oyster pelican quiver raccoon sapphire tornado unicorn volcano " +
  "willow yarrow zucchini apricot beacon cobalt dune elm fern gravel hazel ivy juniper kelp"
).split(" ");

/**
 * A distinct sentence per (tag, i), made of compound words so that no two share a subject:
 * the write paths neither merge them as duplicates nor reconcile one into another.
 */
export function sentence(tag: string, i: number): string {
  let seed = 2166136261;
  for (const ch of `${tag}:${i}`) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619) >>> 0;
  const pick = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return WORDS[seed % WORDS.length];
  };
  const words = Array.from({ length: 8 }, () => pick() + pick());
  return `Note ${tag}-${i}: ${words.join(" ")}.`;
}

/** Sleep `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** p-th percentile of `xs` (nearest rank). */
export function pct(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
