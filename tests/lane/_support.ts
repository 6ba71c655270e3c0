/** Shared helpers for the lane tests: temp roots, the sample folder, fake embedders. */
import { join } from "node:path";
import type { Embedder } from "../../lib/embed/mod.ts";

/** The sample Claude memory folder every audit test reads (vendored; see tests/fixtures/README.md). */
export const FIXTURE = new URL("../fixtures/claude-memory-lane/", import.meta.url);

/** A temp folder removed on dispose. */
export async function tempDir(
  prefix = "lane-test-",
): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/** Copy the sample folder into `dir` (writable copies; the fixture itself is never changed). */
export async function copyFixture(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(FIXTURE)) {
    if (!e.isFile) continue;
    await Deno.writeFile(join(dir, e.name), await Deno.readFile(new URL(e.name, FIXTURE)));
    names.push(e.name);
  }
  return names.sort();
}

/** Write `files` (name → text) into `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
}

/**
 * An embedder whose vectors all have the same pairwise cosine `c`: it isolates the word-overlap
 * half of the duplicate score, to check the thresholds hold for a pessimistic embedder.
 */
export function constantCosineEmbedder(c: number): Embedder {
  let next = 1;
  const seen = new Map<string, number>();
  const dim = 512;
  return {
    id: `test:constant-${c}`,
    dim,
    embed(texts) {
      return Promise.resolve(texts.map((t) => {
        if (!seen.has(t)) seen.set(t, next++);
        const v = new Float32Array(dim);
        v[0] = Math.sqrt(c);
        v[seen.get(t)! % dim || 1] = Math.sqrt(1 - c);
        return v;
      }));
    },
  };
}

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const LANE_MAIN = new URL("./_lane_main.ts", import.meta.url).pathname;

/** argv that runs `memoryoss lane <args>` from source. */
export function laneArgv(args: string[]): string[] {
  return ["run", "-A", "--quiet", "--config", CONFIG, LANE_MAIN, ...args];
}

/** Run `memoryoss lane <args>` in a subprocess; returns the exit code and output. */
export async function runLane(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: laneArgv(args),
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fake agent: echoes its context and first prompt line, writes to stderr, exits 3. */
export const FAKE_AGENT = `#!/usr/bin/env bash
read -r first
echo "root=$MEMORYOSS_LANE_ROOT dry=$MEMORYOSS_LANE_DRY_RUN tick=$MEMORYOSS_LANE_TICK_ID"
echo "prompt: $first"
echo "to stderr" >&2
test -s "$MEMORYOSS_LANE_AUDIT" && echo "audit json present"
exit 3
`;

/** Write an executable script into `dir`. */
export async function script(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, text, { mode: 0o755 });
  return path;
}

/** Poll `check` every 50 ms until it returns true, or fail after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A long-running `memoryoss lane …` child whose output is read line by line. */
export interface LaneChild {
  child: Deno.ChildProcess;
  /** Every stderr line so far. */
  lines: string[];
  /** Every stdout line so far. */
  outLines: string[];
  /** Resolves with the first stderr line matching `re` (fails after `ms`). */
  waitLine(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then the exit code once both streams are read. */
  stop(): Promise<{ code: number }>;
}

async function readLines(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  let carry = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (carry + chunk).split("\n");
    carry = parts.pop()!;
    into.push(...parts);
  }
  if (carry) into.push(carry);
}

/** Start `memoryoss lane <args>` in the background. */
export function spawnLane(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): LaneChild {
  const child = new Deno.Command(Deno.execPath(), {
    args: laneArgv(args),
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const outLines: string[] = [];
  const reading = Promise.all([readLines(child.stdout, outLines), readLines(child.stderr, lines)]);
  return {
    child,
    lines,
    outLines,
    async waitLine(re, ms = 20_000) {
      let hit: RegExpExecArray | null = null;
      await waitFor(() => lines.some((l) => (hit = re.exec(l)) !== null), ms).catch(() => {
        throw new Error(`no stderr line matched ${re}; got:\n${lines.join("\n")}`);
      });
      return hit!;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already exited */ }
      const status = await child.status;
      await reading;
      return { code: status.code };
    },
  };
}
