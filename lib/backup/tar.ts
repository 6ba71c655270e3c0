/**
 * Tar for backup archives, through `tar-stream`: a writer of regular files (ustar headers,
 * PAX records for long names, base-256 sizes past 8 GiB, as `tar-stream` encodes them) and a
 * streaming reader. `tar -xzf` and Python's `tarfile` open what the writer makes.
 *
 * @module
 */
import { extract, pack } from "tar-stream";
import { MemoryossError } from "../errors/mod.ts";

/** A regular file as the writer takes it (`mtime` in seconds since the epoch). */
export interface TarFile {
  path: string;
  size: number;
  mode: number;
  mtime: number;
}

/** Resolves once a streamx stream emits `event` (or closes, so a waiter never hangs). */
function once(s: { once(e: string, f: () => void): unknown }, event: string): Promise<void> {
  return new Promise((resolve) => {
    s.once(event, resolve);
    s.once("close", resolve);
  });
}

/**
 * Writes a tar stream of regular files into `sink` (e.g. a gzip compressor's writable side).
 *
 * @example
 * ```ts
 * const tar = new TarWriter(gzip.writable);
 * await tar.add({ path: "data/a.txt", size: 1, mode: 0o644, mtime: 0 }, [new Uint8Array([120])]);
 * await tar.finish();
 * ```
 */
export class TarWriter {
  #pack = pack();
  #piped: Promise<void>;

  constructor(sink: WritableStream<Uint8Array>) {
    this.#piped = ReadableStream.from(this.#pack as AsyncIterable<Uint8Array>).pipeTo(sink);
    this.#piped.catch(() => {}); // surfaced by finish()
  }

  /**
   * One file: its header, then exactly `file.size` bytes from `body`. A body that ends short
   * or runs long fails with INTEGRITY (the archive would be corrupt).
   */
  async add(file: TarFile, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    let done!: (e?: Error | null) => void;
    const closed = new Promise<Error | null | undefined>((r) => (done = r));
    const entry = this.#pack.entry({
      name: file.path,
      size: file.size,
      mode: file.mode & 0o7777,
      mtime: new Date(Math.max(0, Math.floor(file.mtime)) * 1000),
      type: "file",
    }, (e) => done(e));
    for await (const chunk of body) {
      if (!entry.write(chunk)) await once(entry, "drain");
    }
    entry.end(undefined);
    const err = await closed;
    if (err) {
      throw new MemoryossError("INTEGRITY", `${file.path}: ${err.message} writing the archive`);
    }
  }

  /** The two end blocks; resolves when every byte reached the sink. */
  async finish(): Promise<void> {
    this.#pack.finalize();
    await this.#piped;
  }

  /** Stops the archive (the sink sees an error). */
  abort(reason: unknown): void {
    this.#pack.destroy(reason instanceof Error ? reason : new Error(String(reason)));
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

/** tar-stream's complaint as our INTEGRITY error. */
function damaged(e: Error): MemoryossError {
  if (e instanceof MemoryossError) return e;
  if (/Unexpected end/.test(e.message)) {
    return new MemoryossError("INTEGRITY", "archive is truncated");
  }
  if (/Invalid tar header/.test(e.message)) {
    return new MemoryossError("INTEGRITY", "archive is damaged (bad tar header)");
  }
  return new MemoryossError("INTEGRITY", `archive is damaged (${e.message})`);
}

/** Feeds the web stream into the extractor, honouring its back-pressure. */
async function feed(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  x: ReturnType<typeof extract>,
): Promise<void> {
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      if (x.destroyed) return;
      if (!x.write(r.value)) await once(x, "drain");
    }
    x.end(undefined);
  } catch (e) {
    x.destroy(e as Error); // a gzip error reaches the reader's loop as the extractor's error
  }
}

/**
 * Walks a tar stream, calling `onEntry` for each entry with a reader of exactly its bytes.
 * `onEntry` must consume the body through `read` (unread bytes are skipped). A damaged or
 * truncated archive fails with INTEGRITY.
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
  const reader = stream.getReader();
  const x = extract();
  const fed = feed(reader, x);
  try {
    for await (const entry of x) {
      const h = entry.header;
      // One iterator for the callback and the skip below: a second `for await` on the
      // entry would start over on a stream the first one's early exit destroyed.
      const it = entry[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      const body = async function* (): AsyncGenerator<Uint8Array> {
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      };
      const type = h.type === "file" || h.type === "contiguous-file"
        ? "file"
        : h.type === "directory"
        ? "directory"
        : "other";
      await onEntry({ path: h.name, type, size: h.size, mode: h.mode }, body);
      for await (const _ of body()) { /* skip what the callback left unread */ }
    }
  } catch (e) {
    throw damaged(e as Error);
  } finally {
    x.destroy();
    await reader.cancel().catch(() => {});
    await fed;
  }
}
