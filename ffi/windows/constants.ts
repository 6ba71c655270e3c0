/**
 * Win32 / NT numbers used by the relief engine (x64). Values are from the Windows SDK headers
 * and the decompiled-kernel notes in specs/memoria.md §2.
 *
 * @module
 */

/** NTSTATUS values we branch on (as unsigned 32-bit numbers). */
export const NTSTATUS = {
  SUCCESS: 0x00000000,
  NOT_IMPLEMENTED: 0xC0000002,
  INVALID_INFO_CLASS: 0xC0000003,
  INFO_LENGTH_MISMATCH: 0xC0000004,
  ACCESS_DENIED: 0xC0000022,
  PRIVILEGE_NOT_HELD: 0xC0000061,
  INVALID_PARAMETER_2: 0xC00000F0,
  NOT_SUPPORTED: 0xC00000BB,
} as const;

/** Win32 error codes (GetLastError). */
export const WIN32_ERROR = {
  SUCCESS: 0,
  ACCESS_DENIED: 5,
  INVALID_PARAMETER: 87,
  INSUFFICIENT_BUFFER: 122,
  NO_MORE_FILES: 18,
  NOT_ALL_ASSIGNED: 1300,
} as const;

/** Process access rights. */
export const PROCESS_ACCESS = {
  SET_QUOTA: 0x0100,
  QUERY_INFORMATION: 0x0400,
  VM_READ: 0x0010,
  QUERY_LIMITED_INFORMATION: 0x1000,
} as const;

/** Token access rights and information classes. */
export const TOKEN = {
  QUERY: 0x0008,
  ADJUST_PRIVILEGES: 0x0020,
  /** TOKEN_INFORMATION_CLASS values. */
  CLASS_PRIVILEGES: 3,
  CLASS_ELEVATION_TYPE: 18,
  CLASS_ELEVATION: 20,
  /** TOKEN_ELEVATION_TYPE: 1 default (UAC off or standard user), 2 full, 3 limited. */
  ELEVATION_DEFAULT: 1,
  ELEVATION_FULL: 2,
  ELEVATION_LIMITED: 3,
} as const;

/** LUID_AND_ATTRIBUTES.Attributes flag. */
export const SE_PRIVILEGE_ENABLED = 0x00000002;

/** The two privileges the system-wide stages need (name → well-known LUID low part). */
export const PRIVILEGES = {
  SeProfileSingleProcessPrivilege: 13,
  SeIncreaseQuotaPrivilege: 5,
} as const;
/** A privilege name the engine may enable. */
export type PrivilegeName = keyof typeof PRIVILEGES;

/** SYSTEM_INFORMATION_CLASS values for NtQuery/NtSetSystemInformation. */
export const SYSTEM_INFO_CLASS = {
  BASIC: 0,
  PERFORMANCE: 2,
  PROCESS: 5,
  PAGE_FILE: 18,
  FILE_CACHE: 21,
  MEMORY_LIST: 80,
  FILE_CACHE_EX: 81,
  COMBINE_PHYSICAL_MEMORY: 130,
  REGISTRY_RECONCILIATION: 155,
} as const;

/** SYSTEM_MEMORY_LIST_COMMAND (the 4-byte payload of class 80). */
export const MEMORY_LIST_COMMAND = {
  CAPTURE_ACCESSED_BITS: 0,
  CAPTURE_AND_RESET_ACCESSED_BITS: 1,
  EMPTY_WORKING_SETS: 2,
  FLUSH_MODIFIED_LIST: 3,
  PURGE_STANDBY_LIST: 4,
  PURGE_LOW_PRIORITY_STANDBY_LIST: 5,
} as const;

/** CreateToolhelp32Snapshot flag for a process list. */
export const TH32CS_SNAPPROCESS = 0x00000002;

/** `(SIZE_T)-1`: "trim as far as possible" for working-set and cache limits. */
export const SIZE_T_MAX = 0xFFFF_FFFF_FFFF_FFFFn;

/** The pseudo handle GetCurrentProcess() returns. */
export const CURRENT_PROCESS = SIZE_T_MAX;

/** `INVALID_HANDLE_VALUE` as a handle value. */
export const INVALID_HANDLE = SIZE_T_MAX;

/**
 * Format an NTSTATUS (signed or unsigned) the way Windows tools print it.
 *
 * @example
 * ```ts
 * ntstatusHex(-1073741790); // "0xC0000022"
 * ```
 */
export function ntstatusHex(status: number): string {
  return `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
}

/**
 * True when an NTSTATUS means success or an informational status (the high bit is clear).
 *
 * @example
 * ```ts
 * ntSuccess(0); // true
 * ntSuccess(0xC0000061); // false
 * ```
 */
export function ntSuccess(status: number): boolean {
  return (status >>> 0) < 0x80000000;
}
