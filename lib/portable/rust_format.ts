/**
 * How the memoryOSS runtime (Rust: serde_json + ryu + chrono) prints numbers and timestamps.
 * Needed wherever memoryOSS hashes or signs a re-serialised value instead of the received text:
 * the normalizer's typed structs, the bundle envelope (a serde_json `Value`) and the HMAC
 * message (`DateTime::to_rfc3339`).
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";

/**
 * Prints an f64 exactly like serde_json (ryu): shortest round-trip digits, always a `.0` or an
 * exponent, exponent without `+`. JS `String(1)` gives `1`; Rust gives `1.0`.
 *
 * @example
 * ```ts
 * formatF64(1); // "1.0"
 * formatF64(1e16); // "1e16"
 * formatF64(0.000001); // "1e-6"
 * ```
 */
export function formatF64(n: number): string {
  if (!Number.isFinite(n)) {
    throw new MemoryossError("INVALID_INPUT", "non-finite numbers have no JSON form");
  }
  const sign = n < 0 || Object.is(n, -0) ? "-" : "";
  if (n === 0) return `${sign}0.0`;
  // toExponential() without an argument yields the shortest round-trip digits, as ryu does.
  const [mant, exp] = Math.abs(n).toExponential().split("e");
  const digits = mant.replace(".", "");
  const len = digits.length;
  const kk = Number(exp) + 1; // 10^(kk-1) <= |n| < 10^kk
  const k = kk - len; // |n| = digits * 10^k
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${"0".repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${"0".repeat(-kk)}${digits}`;
  else if (len === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN_ABS = 1n << 63n;

/**
 * Prints a JSON number lexeme the way a serde_json `Value` round trip does: integers that fit
 * u64/i64 stay integers, everything else (fractions, exponents, overflow, `-0`) becomes an f64.
 *
 * @example
 * ```ts
 * serdeValueNumber("1.50"); // "1.5"
 * serdeValueNumber("1e2"); // "100.0"
 * serdeValueNumber("-0"); // "-0.0"
 * ```
 */
export function serdeValueNumber(lexeme: string): string {
  if (/^-?[0-9]+$/.test(lexeme)) {
    const neg = lexeme.startsWith("-");
    const mag = BigInt(neg ? lexeme.slice(1) : lexeme);
    if (!neg && mag <= U64_MAX) return mag.toString();
    // serde_json turns `-0` and i64 underflow into floats.
    if (neg && mag !== 0n && mag <= I64_MIN_ABS) return `-${mag}`;
  }
  return formatF64(Number(lexeme));
}

const RFC3339 =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/;

/** The parts of an RFC 3339 timestamp, fraction as nanoseconds. */
interface Instant {
  ms: number; // whole seconds since the epoch, in ms, UTC
  nanos: number;
}

function parseInstant(ts: string): Instant | null {
  const m = RFC3339.exec(ts);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const offH = m[10] ? Number(m[10]) : 0;
  const offM = m[11] ? Number(m[11]) : 0;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (mo < 1 || mo > 12 || d < 1 || d > monthDays || h > 23 || mi > 59 || s > 59) return null;
  if (offH > 23 || offM > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  const sign = m[9] === "-" ? -1 : 1;
  date.setUTCHours(h, mi - sign * (offH * 60 + offM), s, 0);
  // chrono keeps nine fractional digits and ignores any beyond.
  const nanos = m[7] ? Number(m[7].slice(0, 9).padEnd(9, "0")) : 0;
  return { ms: date.getTime(), nanos };
}

/**
 * True for an RFC 3339 `date-time` (JSON Schema format), with calendar checks. Leap seconds
 * (`:60`) are refused, as chrono does for most instants.
 *
 * @example
 * ```ts
 * isRfc3339("2026-03-13T09:00:00Z"); // true
 * isRfc3339("2026-02-30T09:00:00Z"); // false
 * ```
 */
export function isRfc3339(ts: string): boolean {
  return parseInstant(ts) !== null;
}

function formatInstant({ ms, nanos }: Instant, offset: string): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) {
    throw new MemoryossError("INVALID_INPUT", "timestamp year out of range 0000-9999");
  }
  const p2 = (v: number) => String(v).padStart(2, "0");
  const base = `${String(y).padStart(4, "0")}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  // chrono SecondsFormat::AutoSi: 0, 3, 6 or 9 fractional digits.
  const f9 = String(nanos).padStart(9, "0");
  const frac = nanos === 0
    ? ""
    : nanos % 1_000_000 === 0
    ? `.${f9.slice(0, 3)}`
    : nanos % 1000 === 0
    ? `.${f9.slice(0, 6)}`
    : `.${f9}`;
  return base + frac + offset;
}

/**
 * chrono's `DateTime<Utc>::to_rfc3339()`: UTC, `+00:00` offset, 0/3/6/9 fractional digits.
 * This exact text goes into the memoryOSS HMAC message.
 *
 * @example
 * ```ts
 * chronoToRfc3339("2026-03-13T10:00:00.120+01:00"); // "2026-03-13T09:00:00.120+00:00"
 * ```
 */
export function chronoToRfc3339(ts: string): string {
  const at = parseInstant(ts);
  if (!at) throw new MemoryossError("INVALID_INPUT", `not an RFC 3339 timestamp: ${ts}`);
  return formatInstant(at, "+00:00");
}

/**
 * How chrono serialises a `DateTime<Utc>` into JSON: like {@link chronoToRfc3339} but with `Z`.
 * Accepts a `Date` (millisecond precision) or an RFC 3339 string.
 *
 * @example
 * ```ts
 * chronoJsonTimestamp(new Date(Date.UTC(2026, 2, 13, 9))); // "2026-03-13T09:00:00Z"
 * ```
 */
export function chronoJsonTimestamp(at: Date | string): string {
  if (typeof at === "string") {
    const inst = parseInstant(at);
    if (!inst) throw new MemoryossError("INVALID_INPUT", `not an RFC 3339 timestamp: ${at}`);
    return formatInstant(inst, "Z");
  }
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new MemoryossError("INVALID_INPUT", "invalid Date");
  const whole = Math.floor(ms / 1000) * 1000;
  return formatInstant({ ms: whole, nanos: (ms - whole) * 1_000_000 }, "Z");
}
