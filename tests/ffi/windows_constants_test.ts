/**
 * The Win32 / NT numbers the relief engine sends and branches on, against the values in the
 * Windows SDK headers (ntstatus.h, winerror.h, winnt.h, tlhelp32.h) and the NT information
 * classes of specs/memoria.md §2.1-2.3, written out by hand here. The fake WinApi the engine
 * tests use shares these constants, so only this test would catch a wrong one on Linux.
 */
import assert from "node:assert/strict";
import * as w from "../../ffi/windows/mod.ts";

Deno.test("ffi/windows: NTSTATUS and Win32 error codes are the SDK's", () => {
  assert.deepEqual({ ...w.NTSTATUS }, {
    SUCCESS: 0x00000000, // STATUS_SUCCESS
    NOT_IMPLEMENTED: 0xC0000002, // STATUS_NOT_IMPLEMENTED
    INVALID_INFO_CLASS: 0xC0000003, // STATUS_INVALID_INFO_CLASS
    INFO_LENGTH_MISMATCH: 0xC0000004, // STATUS_INFO_LENGTH_MISMATCH
    ACCESS_DENIED: 0xC0000022, // STATUS_ACCESS_DENIED
    PRIVILEGE_NOT_HELD: 0xC0000061, // STATUS_PRIVILEGE_NOT_HELD
    INVALID_PARAMETER_2: 0xC00000F0, // STATUS_INVALID_PARAMETER_2
    NOT_SUPPORTED: 0xC00000BB, // STATUS_NOT_SUPPORTED
  });
  assert.deepEqual({ ...w.WIN32_ERROR }, {
    SUCCESS: 0, // ERROR_SUCCESS
    ACCESS_DENIED: 5, // ERROR_ACCESS_DENIED
    INVALID_PARAMETER: 87, // ERROR_INVALID_PARAMETER
    INSUFFICIENT_BUFFER: 122, // ERROR_INSUFFICIENT_BUFFER
    NO_MORE_FILES: 18, // ERROR_NO_MORE_FILES
    NOT_ALL_ASSIGNED: 1300, // ERROR_NOT_ALL_ASSIGNED
  });
});

Deno.test("ffi/windows: access rights, token classes and privileges are the SDK's", () => {
  assert.deepEqual({ ...w.PROCESS_ACCESS }, {
    SET_QUOTA: 0x0100, // PROCESS_SET_QUOTA
    QUERY_INFORMATION: 0x0400, // PROCESS_QUERY_INFORMATION
    VM_READ: 0x0010, // PROCESS_VM_READ
    QUERY_LIMITED_INFORMATION: 0x1000, // PROCESS_QUERY_LIMITED_INFORMATION
  });
  assert.deepEqual({ ...w.TOKEN }, {
    QUERY: 0x0008, // TOKEN_QUERY
    ADJUST_PRIVILEGES: 0x0020, // TOKEN_ADJUST_PRIVILEGES
    CLASS_PRIVILEGES: 3, // TokenPrivileges
    CLASS_ELEVATION_TYPE: 18, // TokenElevationType
    CLASS_ELEVATION: 20, // TokenElevation
    ELEVATION_DEFAULT: 1, // TokenElevationTypeDefault
    ELEVATION_FULL: 2, // TokenElevationTypeFull
    ELEVATION_LIMITED: 3, // TokenElevationTypeLimited
  });
  assert.equal(w.SE_PRIVILEGE_ENABLED, 0x00000002);
  // SE_PROF_SINGLE_PROCESS_PRIVILEGE and SE_INCREASE_QUOTA_PRIVILEGE (the well-known LUIDs).
  assert.deepEqual({ ...w.PRIVILEGES }, {
    SeProfileSingleProcessPrivilege: 13,
    SeIncreaseQuotaPrivilege: 5,
  });
  assert.equal(w.TH32CS_SNAPPROCESS, 0x00000002);
  assert.equal(w.SIZE_T_MAX, 0xFFFF_FFFF_FFFF_FFFFn); // (SIZE_T)-1
  assert.equal(w.CURRENT_PROCESS, 0xFFFF_FFFF_FFFF_FFFFn); // GetCurrentProcess() == (HANDLE)-1
  assert.equal(w.INVALID_HANDLE, 0xFFFF_FFFF_FFFF_FFFFn); // INVALID_HANDLE_VALUE
});

Deno.test("ffi/windows: NT information classes and memory-list commands (memoria §2.3)", () => {
  assert.deepEqual({ ...w.SYSTEM_INFO_CLASS }, {
    BASIC: 0, // SystemBasicInformation
    PERFORMANCE: 2, // SystemPerformanceInformation
    PROCESS: 5, // SystemProcessInformation
    PAGE_FILE: 18, // SystemPageFileInformation
    FILE_CACHE: 21, // SystemFileCacheInformation
    MEMORY_LIST: 80, // SystemMemoryListInformation
    FILE_CACHE_EX: 81, // SystemFileCacheInformationEx
    COMBINE_PHYSICAL_MEMORY: 130, // SystemCombinePhysicalMemoryInformation
    REGISTRY_RECONCILIATION: 155, // SystemRegistryReconciliationInformation
  });
  assert.deepEqual({ ...w.MEMORY_LIST_COMMAND }, {
    CAPTURE_ACCESSED_BITS: 0,
    CAPTURE_AND_RESET_ACCESSED_BITS: 1,
    EMPTY_WORKING_SETS: 2,
    FLUSH_MODIFIED_LIST: 3,
    PURGE_STANDBY_LIST: 4,
    PURGE_LOW_PRIORITY_STANDBY_LIST: 5,
  });
});
