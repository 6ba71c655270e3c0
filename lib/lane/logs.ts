/** Reading `lane tend`'s log file: the last lines, and following what is appended. */
import { unlessDenied } from "./denied.ts";

const CHUNK = 64 * 1024;

/** Fill `buf` from the file's position; returns the bytes read (fewer at end of file). */
async function readFully(file: Deno.FsFile, buf: Uint8Array): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const r = await file.read(buf.subarray(got));
    if (r === null) break;
    got += r;
  }
  return got;
}

/**
 * The last `n` lines of a file (an empty list when it does not exist), read from the end so a
 * long log costs only its tail.
 *
 * @example
 * ```ts
 * await tailLines("/home/me/.memoryoss/lane/tend.log", 50);
 * ```
 */
export async function tailLines(path: string, n: number): Promise<string[]> {
  const file = await Deno.open(path).catch(unlessDenied(null, `read ${path}`));
  if (!file) return [];
  try {
    const size = (await file.stat()).size;
    let pos = size;
    let buf = new Uint8Array(0);
    const newlines = () => buf.reduce((c, b) => c + (b === 10 ? 1 : 0), 0);
    while (pos > 0 && newlines() <= n) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = new Uint8Array(len);
      await file.seek(pos, Deno.SeekMode.Start);
      await readFully(file, chunk);
      const joined = new Uint8Array(len + buf.length);
      joined.set(chunk);
      joined.set(buf, len);
      buf = joined;
    }
    const lines = new TextDecoder().decode(buf).split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (pos > 0) lines.shift(); // cut mid-line
    return lines.slice(-n);
  } finally {
    file.close();
  }
}

/**
 * Call `onLine` for every complete line appended to `path` after byte `from`, polling every
 * `pollMs`, until `signal` aborts. A file that shrinks (rotated or truncated) is read again
 * from its start; one that does not exist yet is waited for.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await followFile(path, (await Deno.stat(path)).size, console.log, stop.signal);
 * ```
 */
export async function followFile(
  path: string,
  from: number,
  onLine: (line: string) => void,
  signal: AbortSignal,
  pollMs = 250,
): Promise<void> {
  let offset = from;
  let carry = "";
  const dec = new TextDecoder();
  while (!signal.aborted) {
    const info = await Deno.stat(path).catch(unlessDenied(null, `read ${path}`));
    const size = info?.size ?? 0;
    if (size < offset) [offset, carry] = [0, ""];
    if (size > offset) {
      const file = await Deno.open(path);
      try {
        await file.seek(offset, Deno.SeekMode.Start);
        const chunk = new Uint8Array(size - offset);
        const got = await readFully(file, chunk);
        offset += got;
        const parts = (carry + dec.decode(chunk.subarray(0, got), { stream: true })).split("\n");
        carry = parts.pop()!;
        for (const l of parts) onLine(l);
      } finally {
        file.close();
      }
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, pollMs);
      signal.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
    });
  }
}
