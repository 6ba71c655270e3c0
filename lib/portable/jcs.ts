/**
 * RFC 8785 JSON Canonicalization Scheme for the lines WE define (never for v1alpha1, whose
 * hashes follow memoryOSS's own rules in `integrity.ts`).
 *
 * @module
 */
import canonicalize from "canonicalize";
import { MemoryossError } from "../errors/mod.ts";
import { isLosslessNumber } from "./json.ts";

/**
 * The JCS text of a plain JS value, a parsed tree, or a mix (`Map`s become objects and
 * `LosslessNumber`s IEEE doubles first, as JCS requires). Throws `INVALID_INPUT` for values
 * JCS cannot represent (NaN, Infinity, lone surrogates, undefined at the top).
 *
 * @example
 * ```ts
 * jcs({ b: 1.0, a: "x" }); // '{"a":"x","b":1}'
 * ```
 */
export function jcs(value: unknown): string {
  let out: string | undefined;
  try {
    out = canonicalize(plainify(value));
  } catch (e) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `cannot canonicalize: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (out === undefined) throw new MemoryossError("INVALID_INPUT", "value has no JSON form");
  return out;
}

function plainify(v: unknown): unknown {
  if (isLosslessNumber(v)) return Number(v.value);
  if (Array.isArray(v)) return v.map(plainify);
  const entries = v instanceof Map
    ? [...v].map(([k, x]) => [String(k), x] as const)
    : v !== null && typeof v === "object" && !(v instanceof Date)
    ? Object.entries(v)
    : null;
  if (entries === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    Object.defineProperty(out, k, {
      value: plainify(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
