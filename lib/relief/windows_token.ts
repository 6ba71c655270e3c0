/**
 * Token work on Windows: elevation (admin detection) and enabling a privilege with the result
 * actually checked. AdjustTokenPrivileges returns TRUE even when it assigned nothing
 * (ERROR_NOT_ALL_ASSIGNED), so we read the token's privileges back.
 *
 * @module
 */
import {
  decodeLuid,
  decodeTokenPrivileges,
  encodeTokenPrivileges,
  type Handle,
  newHandleCell,
  newU32,
  type PrivilegeName,
  PRIVILEGES,
  readHandleCell,
  readU32,
  SE_PRIVILEGE_ENABLED,
  TOKEN,
  WIN32_ERROR,
  type WinApi,
} from "../../ffi/windows/mod.ts";

/** Elevation of our own token. */
export interface Elevation {
  elevated: boolean;
  /** "default" | "full" | "limited" | null when unreadable. */
  type: "default" | "full" | "limited" | null;
}

function openOwnToken(api: WinApi, access: number): Handle | null {
  const cell = newHandleCell();
  if (!api.openProcessToken(api.getCurrentProcess(), access, cell)) return null;
  return readHandleCell(cell);
}

function readTokenU32(api: WinApi, token: Handle, cls: number): number | null {
  const buf = newU32();
  const ret = newU32();
  return api.getTokenInformation(token, cls, buf, 4, ret) ? readU32(buf) : null;
}

/**
 * Is our token elevated (TokenElevation), and which elevation type is it?
 *
 * @example
 * ```ts
 * tokenElevation(api).elevated; // true in an elevated prompt
 * ```
 */
export function tokenElevation(api: WinApi): Elevation {
  const token = openOwnToken(api, TOKEN.QUERY);
  if (token === null) return { elevated: false, type: null };
  try {
    const elevated = readTokenU32(api, token, TOKEN.CLASS_ELEVATION);
    const t = readTokenU32(api, token, TOKEN.CLASS_ELEVATION_TYPE);
    const type = t === TOKEN.ELEVATION_FULL
      ? "full"
      : t === TOKEN.ELEVATION_LIMITED
      ? "limited"
      : t === TOKEN.ELEVATION_DEFAULT
      ? "default"
      : null;
    return { elevated: (elevated ?? 0) !== 0, type };
  } finally {
    api.closeHandle(token);
  }
}

/** The outcome of enabling one privilege. */
export type PrivilegeResult =
  | "enabled"
  | "not_held"
  | "token_failed"
  | "lookup_failed"
  | "adjust_failed"
  | "verify_failed";

/**
 * Enable `name` in our token and confirm it from the token itself.
 *
 * @example
 * ```ts
 * enablePrivilege(api, "SeProfileSingleProcessPrivilege"); // "enabled" when elevated
 * ```
 */
export function enablePrivilege(api: WinApi, name: PrivilegeName): PrivilegeResult {
  const token = openOwnToken(api, TOKEN.ADJUST_PRIVILEGES | TOKEN.QUERY);
  if (token === null) return "token_failed";
  try {
    const luidBuf = new Uint8Array(8);
    if (!api.lookupPrivilegeValueW(name, luidBuf)) return "lookup_failed";
    const luid = decodeLuid(luidBuf);
    const state = encodeTokenPrivileges([
      { luidLow: luid.low, luidHigh: luid.high, attributes: SE_PRIVILEGE_ENABLED },
    ]);
    if (!api.adjustTokenPrivileges(token, state)) return "adjust_failed";
    // GetLastError is only a hint through FFI; the read-back below is what decides.
    const hint = api.getLastError();
    const held = readPrivileges(api, token);
    if (held === null) return hint === WIN32_ERROR.NOT_ALL_ASSIGNED ? "not_held" : "verify_failed";
    const entry = held.find((p) => p.luidLow === luid.low && p.luidHigh === luid.high);
    return entry && (entry.attributes & SE_PRIVILEGE_ENABLED) ? "enabled" : "not_held";
  } finally {
    api.closeHandle(token);
  }
}

/** TokenPrivileges, sized by asking first (the list length varies per token). */
function readPrivileges(api: WinApi, token: Handle) {
  const need = newU32();
  api.getTokenInformation(token, TOKEN.CLASS_PRIVILEGES, null, 0, need);
  const size = Math.max(readU32(need), 4);
  const buf = new Uint8Array(size);
  if (!api.getTokenInformation(token, TOKEN.CLASS_PRIVILEGES, buf, size, need)) return null;
  try {
    return decodeTokenPrivileges(buf);
  } catch {
    return null;
  }
}

/** The privileges the system-wide stages need, by name. */
export const PRIVILEGE_NAMES = Object.keys(PRIVILEGES) as PrivilegeName[];
