/** Little-endian field helpers shared by the Win32 struct codecs (x64 layouts). */

/** A DataView over the whole of `buf`, checked to be at least `size` bytes. */
export function view(buf: Uint8Array, size: number, what: string): DataView {
  if (buf.byteLength < size) {
    throw new RangeError(`${what}: buffer is ${buf.byteLength} bytes, needs ${size}`);
  }
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Read a SIZE_T / ULONGLONG as a number (byte and page counts stay far below 2^53). */
export function u64(v: DataView, at: number): number {
  return Number(v.getBigUint64(at, true));
}

/** Write a number (or bigint) into a SIZE_T / ULONGLONG field. */
export function setU64(v: DataView, at: number, value: number | bigint): void {
  v.setBigUint64(at, typeof value === "bigint" ? value : BigInt(value), true);
}

/** Encode a string as NUL-terminated UTF-16LE, the form every `…W` function takes. */
export function utf16z(s: string): Uint8Array {
  const out = new Uint8Array((s.length + 1) * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) v.setUint16(i * 2, s.charCodeAt(i), true);
  return out;
}

/** Decode UTF-16LE up to `maxChars` or the first NUL. */
export function fromUtf16(buf: Uint8Array, at = 0, maxChars = (buf.byteLength - at) >> 1): string {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const codes: number[] = [];
  for (let i = 0; i < maxChars; i++) {
    const c = v.getUint16(at + i * 2, true);
    if (c === 0) break;
    codes.push(c);
  }
  return String.fromCharCode(...codes);
}
