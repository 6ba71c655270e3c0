/** Durations on the command line: "90s", "30m", "2h", "1d". */
import { MemoryossError } from "../errors/mod.ts";

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parse a duration into milliseconds; INVALID_INPUT (exit 3) names the flag otherwise.
 *
 * @example
 * ```ts
 * parseDuration("30m", "interval"); // 1800000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--${flag} takes a duration like 90s, 30m, 2h or 1d, got '${text}'`,
    );
  }
  return Number(m[1]) * UNIT[m[2]];
}

/**
 * Milliseconds as the shortest exact duration text.
 *
 * @example
 * ```ts
 * formatDuration(5_400_000); // "90m"
 * ```
 */
export function formatDuration(ms: number): string {
  for (const u of ["d", "h", "m"] as const) {
    if (ms % UNIT[u] === 0) return `${ms / UNIT[u]}${u}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
