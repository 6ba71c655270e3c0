/**
 * The archive's compression: zstd (level 3, memoryOSS's `.tar.zst`, the default) or gzip
 * (`.tar.gz`, our earlier format, still written when the file name asks for it and always
 * read). zstd comes from Deno's `node:zlib` (the same codec the proxy uses for Codex bodies);
 * a reader tells the two apart by their magic bytes, not by the file name.
 *
 * @module
 */
import { Duplex } from "node:stream";
import { constants, createZstdCompress, createZstdDecompress } from "node:zlib";

/** The two compressions. */
export type Compression = "zstd" | "gzip";

/** memoryOSS's zstd level for backups. */
export const ZSTD_LEVEL = 3;

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The compression a file name asks for: gzip for `.tar.gz` / `.tgz`, zstd otherwise.
 *
 * @example
 * ```ts
 * compressionFor("b.tar.gz"); // "gzip"
 * compressionFor("memoryoss-backup-20260101-000000.tar.zst"); // "zstd"
 * ```
 */
export function compressionFor(path: string): Compression {
  return /\.(?:tar\.gz|tgz)$/i.test(path) ? "gzip" : "zstd";
}

/** The compression of an archive from its first bytes, or null when it is neither. */
export function sniffCompression(head: Uint8Array): Compression | null {
  const starts = (m: number[]) => m.every((b, i) => head[i] === b);
  return starts(ZSTD_MAGIC) ? "zstd" : starts(GZIP_MAGIC) ? "gzip" : null;
}

type Pipe = TransformStream<Uint8Array, Uint8Array>;

/** A compressing stream (zstd at {@link ZSTD_LEVEL}, or gzip). */
export function compressStream(kind: Compression): Pipe {
  if (kind === "gzip") return new CompressionStream("gzip") as unknown as Pipe;
  const z = createZstdCompress({ params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } });
  return Duplex.toWeb(z) as unknown as Pipe;
}

/** A decompressing stream for `kind`. */
export function decompressStream(kind: Compression): Pipe {
  if (kind === "gzip") return new DecompressionStream("gzip") as unknown as Pipe;
  return Duplex.toWeb(createZstdDecompress()) as unknown as Pipe;
}

/**
 * The decompressed bytes of an open archive file, by its magic bytes; null when it is neither
 * zstd nor gzip. The file is read from its start.
 */
export async function openDecompressed(
  file: Deno.FsFile,
): Promise<{ kind: Compression; stream: ReadableStream<Uint8Array> } | null> {
  const head = new Uint8Array(4);
  let got = 0;
  while (got < head.length) {
    const n = await file.read(head.subarray(got));
    if (n === null) break;
    got += n;
  }
  const kind = sniffCompression(head.subarray(0, got));
  if (!kind) return null;
  await file.seek(0, Deno.SeekMode.Start);
  return { kind, stream: file.readable.pipeThrough(decompressStream(kind)) };
}
