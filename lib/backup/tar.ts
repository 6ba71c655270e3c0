/**
 * A small ustar (POSIX.1-1988) writer and streaming reader: regular files only, PAX `path`
 * and `size` records for long names and files over 8 GiB. Enough for backup archives that
 * `tar -xzf` can also open, without a dependency.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";

export const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();
const MAX_OCTAL_SIZE = 0o77777777777;

function putString(buf: Uint8Array, offset: number, length: number, s: string): void {
  buf.set(enc.encode(s).subarray(0, length), offset);
}

function putOctal(buf: Uint8Array, offset: number, length: number, n: number): void {
  putString(buf, offset, length, n.toString(8).padStart(length - 1, "0") + "\0");
}

/** One PAX record: `"<len> key=value\n"`, where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = enc.encode(body).length + 1;
  while (String(len).length + enc.encode(body).length !== len) len++;
  return `${len}${body}`;
}

function rawHeader(
  name: string,
  size: number,
  mode: number,
  mtime: number,
  type: string,
): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(BLOCK);
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, mode & 0o7777);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, Math.min(size, MAX_OCTAL_SIZE));
  putOctal(h, 136, 12, Math.max(0, Math.floor(mtime)));
  h.fill(0x20, 148, 156); // checksum counts as spaces while summing
  putString(h, 156, 1, type);
  putString(h, 257, 6, "ustar\0");
  putString(h, 263, 2, "00");
  let sum = 0;
  for (const b of h) sum += b;
  putString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/**
 * Header block(s) for a regular file: a PAX header first when the name is over 100 bytes
 * or the size over 8 GiB.
 *
 * @example
 * ```ts
 * fileHeader("data/memoryoss.toml", 120, 0o644, Date.now() / 1000).length; // 512
 * ```
 */
export function fileHeader(
  path: string,
  size: number,
  mode: number,
  mtime: number,
): Uint8Array<ArrayBuffer> {
  const records: string[] = [];
  if (enc.encode(path).length > 100) records.push(paxRecord("path", path));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord("size", String(size)));
  const main = rawHeader(records.length ? path.slice(0, 99) : path, size, mode, mtime, "0");
  if (!records.length) return main;
  const body = enc.encode(records.join(""));
  const pax = rawHeader("PaxHeader", body.length, 0o644, mtime, "x");
  const out = new Uint8Array(BLOCK + padded(body.length) + BLOCK);
  out.set(pax, 0);
  out.set(body, BLOCK);
  out.set(main, BLOCK + padded(body.length));
  return out;
}

/**
 * `n` rounded up to whole 512-byte blocks.
 *
 * @example
 * ```ts
 * padded(513); // 1024
 * ```
 */
export function padded(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = new Uint8Array(BLOCK * 2);

/**
 * Reads exact byte counts from a stream without quadratic copying.
 *
 * @example
 * ```ts
 * const header = await new ByteReader(stream).exact(512);
 * ```
 */
export class ByteReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async #fill(n: number): Promise<void> {
    while (this.#buffered < n && !this.#done) {
      const r = await this.#reader.read();
      if (r.done) this.#done = true;
      else if (r.value.length) {
        this.#chunks.push(r.value);
        this.#buffered += r.value.length;
      }
    }
  }

  /** Up to `n` bytes (fewer only at the end of the stream). */
  async take(n: number): Promise<Uint8Array> {
    await this.#fill(n);
    const len = Math.min(n, this.#buffered);
    const out = new Uint8Array(len);
    let at = 0;
    while (at < len) {
      const c = this.#chunks[0];
      const k = Math.min(c.length, len - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    this.#buffered -= len;
    return out;
  }

  /** Exactly `n` bytes, or INTEGRITY "truncated". */
  async exact(n: number): Promise<Uint8Array> {
    const b = await this.take(n);
    if (b.length !== n) throw new MemoryossError("INTEGRITY", "archive is truncated");
    return b;
  }

  /** Stops reading (releases the stream). */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

/** One entry as the reader sees it. */
export interface TarEntry {
  path: string;
  /** "file", "directory" or "other" (links, devices: refused by restore). */
  type: "file" | "directory" | "other";
  size: number;
  mode: number;
}

function readString(h: Uint8Array, offset: number, length: number): string {
  const slice = h.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return dec.decode(end < 0 ? slice : slice.subarray(0, end));
}

function readOctal(h: Uint8Array, offset: number, length: number): number {
  const s = readString(h, offset, length).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new MemoryossError("INTEGRITY", "bad number in a tar header");
  return parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === readOctal(h, 148, 8);
}

function parsePax(body: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const sp = body.indexOf(0x20, at);
    if (sp < 0) break;
    const len = parseInt(dec.decode(body.subarray(at, sp)), 10);
    if (!Number.isFinite(len) || len <= sp - at + 1 || at + len > body.length) break;
    const line = dec.decode(body.subarray(sp + 1, at + len - 1)); // without the "\n"
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    at += len;
  }
  return out;
}

/**
 * Walks a tar stream, calling `onEntry` for each entry with a reader of exactly its bytes.
 * `onEntry` must consume the body through `read` (unread bytes are skipped).
 *
 * @example
 * ```ts
 * await readTar(stream, async (e, read) => { for await (const c of read()) hash.update(c); });
 * ```
 */
export async function readTar(
  stream: ReadableStream<Uint8Array>,
  onEntry: (e: TarEntry, body: () => AsyncGenerator<Uint8Array>) => Promise<void>,
): Promise<void> {
  const r = new ByteReader(stream);
  let pax: Record<string, string> = {};
  try {
    for (;;) {
      const h = await r.take(BLOCK);
      if (h.length === 0 || h.every((b) => b === 0)) return;
      if (h.length < BLOCK || !checksumOk(h)) {
        throw new MemoryossError("INTEGRITY", "archive is damaged (bad tar header)");
      }
      const type = String.fromCharCode(h[156] || 0x30);
      let size = readOctal(h, 124, 12);
      if (pax.size !== undefined) size = Number(pax.size);
      if (type === "x" || type === "g") {
        const body = await r.exact(size);
        await r.exact(padded(size) - size);
        if (type === "x") pax = parsePax(body);
        continue;
      }
      const prefix = readString(h, 345, 155);
      const name = readString(h, 0, 100);
      const path = pax.path ?? (prefix ? `${prefix}/${name}` : name);
      pax = {};
      let left = size;
      const body = async function* (): AsyncGenerator<Uint8Array> {
        while (left > 0) {
          const c = await r.take(Math.min(left, 1 << 16));
          if (c.length === 0) throw new MemoryossError("INTEGRITY", "archive is truncated");
          left -= c.length;
          yield c;
        }
      };
      await onEntry({
        path,
        type: type === "0" ? "file" : type === "5" ? "directory" : "other",
        size,
        mode: readOctal(h, 100, 8),
      }, body);
      for await (const _ of body()) { /* skip what the callback left unread */ }
      await r.exact(padded(size) - size);
    }
  } finally {
    await r.cancel();
  }
}
