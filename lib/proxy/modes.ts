/**
 * Memory modes (memoryOSS §3.3): `full` recalls and extracts, `readonly` only recalls,
 * `after` recalls memories created after a cutoff and extracts, `off` does neither. Clients
 * choose per request with `X-Memory-Mode` / `X-Memory-After` / `X-Memory-Bypass` only when
 * `proxy.allow_client_memory_control` is on.
 */
import type { Config } from "../config/mod.ts";

/** A memory mode. */
export type MemoryMode = "full" | "readonly" | "after" | "off";

/** The resolved mode of one request. */
export interface ModeDecision {
  mode: MemoryMode;
  /** Cutoff for `after` (memories created earlier are not injected). */
  after: Date | null;
  recall: boolean;
  extract: boolean;
}

const ALIASES: Record<string, MemoryMode> = {
  full: "full",
  readonly: "readonly",
  "read-only": "readonly",
  read_only: "readonly",
  ro: "readonly",
  after: "after",
  off: "off",
  none: "off",
  disabled: "off",
};

function parseDate(s: string): Date | null {
  if (!/^\d{4}-\d\d-\d\d/.test(s)) return null;
  const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(d.getTime()) ? null : d;
}

function decide(mode: MemoryMode, after: Date | null): ModeDecision {
  // `after` without a usable date degrades to `full` (memoryOSS behaviour).
  if (mode === "after" && !after) mode = "full";
  return {
    mode,
    after: mode === "after" ? after : null,
    recall: mode !== "off",
    extract: mode === "full" || mode === "after",
  };
}

/**
 * Resolve the mode of a request from its headers and the config.
 *
 * @example
 * ```ts
 * resolveMemoryMode(cfg.proxy, new Headers({ "x-memory-mode": "ro" })).mode; // "readonly"
 * ```
 */
export function resolveMemoryMode(cfg: Config["proxy"], headers: Headers): ModeDecision {
  const cfgAfter = cfg.memory_after_date ? parseDate(cfg.memory_after_date) : null;
  if (!cfg.allow_client_memory_control) return decide(cfg.default_memory_mode, cfgAfter);
  const bypass = (headers.get("x-memory-bypass") ?? "").trim().toLowerCase();
  if (bypass === "true" || bypass === "1") return decide("off", null);
  const raw = headers.get("x-memory-mode");
  const mode = raw === null ? cfg.default_memory_mode : ALIASES[raw.trim().toLowerCase()] ?? "full";
  const afterHeader = headers.get("x-memory-after");
  const after = afterHeader === null ? cfgAfter : parseDate(afterHeader.trim());
  return decide(mode, after);
}
