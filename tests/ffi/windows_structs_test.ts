/**
 * Win32 struct codecs against layouts built by hand from Microsoft's documented x64 layouts
 * (the SDK headers; specs/memoria.md §2.2): every size and field offset below is written out
 * here, never taken from the codecs' own tables; round trips come on top.
 */
import assert from "node:assert/strict";
import * as w from "../../ffi/windows/mod.ts";

/** Build a buffer from [offset, bytes, value] triples, independent of the codecs. */
function layout(size: number, fields: [number, 1 | 4 | 8, number | bigint][]): Uint8Array {
  const buf = new Uint8Array(size);
  const v = new DataView(buf.buffer);
  for (const [at, n, value] of fields) {
    if (n === 8) v.setBigUint64(at, BigInt(value), true);
    else if (n === 4) v.setUint32(at, Number(value), true);
    else v.setUint8(at, Number(value));
  }
  return buf;
}

Deno.test("ffi/windows: struct sizes match the x64 ABI", () => {
  const sizes: [string, number, number][] = [
    ["MEMORYSTATUSEX", w.MEMORYSTATUSEX_SIZE, 64],
    ["PERFORMANCE_INFORMATION", w.PERFORMANCE_INFORMATION_SIZE, 104],
    ["PROCESS_MEMORY_COUNTERS", w.PMC_SIZE, 72],
    ["PROCESS_MEMORY_COUNTERS_EX", w.PMC_EX_SIZE, 80],
    ["PROCESS_MEMORY_COUNTERS_EX2", w.PMC_EX2_SIZE, 96],
    ["SYSTEM_FILECACHE_INFORMATION", w.FILECACHE_INFORMATION_SIZE, 64],
    ["SYSTEM_MEMORY_LIST_INFORMATION", w.MEMORY_LIST_INFORMATION_SIZE, 176],
    ["SYSTEM_MEMORY_LIST_COMMAND", w.MEMORY_LIST_COMMAND_SIZE, 4],
    ["MEMORY_COMBINE_INFORMATION", w.MEMORY_COMBINE_SIZE, 16],
    ["MEMORY_COMBINE_INFORMATION_EX", w.MEMORY_COMBINE_EX_SIZE, 24],
    ["TOKEN_PRIVILEGES(1)", w.tokenPrivilegesSize(1), 16],
    ["PROCESSENTRY32W", w.PROCESSENTRY32W_SIZE, 568],
    ["RTL_OSVERSIONINFOW", w.OSVERSIONINFOW_SIZE, 276],
    ["LUID", w.LUID_SIZE, 8],
    ["SYSTEM_PAGEFILE_INFORMATION (fixed part)", w.PAGEFILE_ENTRY_SIZE, 32],
  ];
  for (const [name, got, want] of sizes) assert.equal(got, want, name);
  assert.equal(w.encodeMemoryStatusEx().length, 64);
  assert.equal(w.encodePerformanceInformation().length, 104);
  assert.equal(w.encodeProcessMemoryCounters(96).length, 96);
});

Deno.test("ffi/windows: MEMORYSTATUSEX offsets and dwLength", () => {
  const value = {
    memoryLoad: 42,
    totalPhys: 17_179_869_184,
    availPhys: 8_589_934_592,
    totalPageFile: 21_474_836_480,
    availPageFile: 10_737_418_240,
    totalVirtual: 140_737_488_224_256,
    availVirtual: 140_737_000_000_000,
    availExtendedVirtual: 0,
  };
  const golden = layout(64, [
    [0, 4, 64],
    [4, 4, 42],
    [8, 8, value.totalPhys],
    [16, 8, value.availPhys],
    [24, 8, value.totalPageFile],
    [32, 8, value.availPageFile],
    [40, 8, value.totalVirtual],
    [48, 8, value.availVirtual],
    [56, 8, 0],
  ]);
  assert.deepEqual(w.encodeMemoryStatusEx(value), golden);
  assert.deepEqual(w.decodeMemoryStatusEx(golden), value);
  assert.deepEqual([...w.encodeMemoryStatusEx().subarray(0, 4)], [64, 0, 0, 0], "dwLength set");
});

Deno.test("ffi/windows: PERFORMANCE_INFORMATION offsets (pages) and counts", () => {
  const names = [
    "commitTotal",
    "commitLimit",
    "commitPeak",
    "physicalTotal",
    "physicalAvailable",
    "systemCache",
    "kernelTotal",
    "kernelPaged",
    "kernelNonpaged",
    "pageSize",
  ] as const;
  const golden = layout(104, [
    [0, 4, 104],
    ...names.map((_, i): [number, 8, number] => [8 + i * 8, 8, 1000 + i]),
    [88, 4, 51_000],
    [92, 4, 312],
    [96, 4, 4_200],
  ]);
  const d = w.decodePerformanceInformation(golden);
  names.forEach((n, i) => assert.equal(d[n], 1000 + i, n));
  assert.deepEqual([d.handleCount, d.processCount, d.threadCount], [51_000, 312, 4_200]);
  assert.deepEqual(w.encodePerformanceInformation(d), golden);
});

Deno.test("ffi/windows: PROCESS_MEMORY_COUNTERS, _EX and _EX2 by size", () => {
  const c = {
    pageFaultCount: 7,
    peakWorkingSetSize: 10,
    workingSetSize: 20,
    quotaPeakPagedPoolUsage: 30,
    quotaPagedPoolUsage: 40,
    quotaPeakNonPagedPoolUsage: 50,
    quotaNonPagedPoolUsage: 60,
    pagefileUsage: 70,
    peakPagefileUsage: 80,
    privateUsage: 90,
    privateWorkingSetSize: 100,
    sharedCommitUsage: 110,
  };
  const fields: [number, 4 | 8, number][] = [[0, 4, 96], [4, 4, 7]];
  for (let i = 0; i < 11; i++) fields.push([8 + i * 8, 8, 10 * (i + 1)]);
  assert.deepEqual(w.encodeProcessMemoryCounters(96, c), layout(96, fields));
  assert.deepEqual(w.decodeProcessMemoryCounters(layout(96, fields)), c);
  const ex = w.decodeProcessMemoryCounters(w.encodeProcessMemoryCounters(80, c));
  assert.equal(ex.privateUsage, 90);
  assert.equal(ex.privateWorkingSetSize, undefined);
  const base = w.decodeProcessMemoryCounters(w.encodeProcessMemoryCounters(72, c));
  assert.equal(base.workingSetSize, 20);
  assert.equal(base.privateUsage, undefined);
  assert.equal(new DataView(w.encodeProcessMemoryCounters(80).buffer).getUint32(0, true), 80, "cb");
  assert.throws(() => w.decodeProcessMemoryCounters(new Uint8Array(71)), RangeError);
});

Deno.test("ffi/windows: SYSTEM_FILECACHE_INFORMATION trims with Min = Max = SIZE_T_MAX", () => {
  const buf = w.encodeFileCacheInformation({
    minimumWorkingSet: w.SIZE_T_MAX,
    maximumWorkingSet: w.SIZE_T_MAX,
  });
  assert.deepEqual(
    buf,
    layout(64, [[24, 8, 0xFFFF_FFFF_FFFF_FFFFn], [32, 8, 0xFFFF_FFFF_FFFF_FFFFn]]),
  );
  const full = layout(64, [
    [0, 8, 1],
    [8, 8, 2],
    [16, 4, 3],
    [24, 8, 4],
    [32, 8, 5],
    [40, 8, 6],
    [48, 8, 7],
    [56, 4, 8],
    [60, 4, 9],
  ]);
  const d = w.decodeFileCacheInformation(full);
  assert.deepEqual(d, {
    currentSize: 1,
    peakSize: 2,
    pageFaultCount: 3,
    minimumWorkingSet: 4n,
    maximumWorkingSet: 5n,
    currentSizeIncludingTransitionInPages: 6,
    peakSizeIncludingTransitionInPages: 7,
    transitionRePurposeCount: 8,
    flags: 9,
  });
  assert.deepEqual(w.encodeFileCacheInformation(d), full);
});

Deno.test("ffi/windows: SYSTEM_MEMORY_LIST_INFORMATION is 22 page counts", () => {
  const golden = layout(
    176,
    Array.from({ length: 22 }, (_, i): [number, 8, number] => [i * 8, 8, i + 1]),
  );
  const d = w.decodeMemoryListInformation(golden);
  assert.equal(d.zeroPageCount, 1);
  assert.equal(d.freePageCount, 2);
  assert.equal(d.modifiedPageCount, 3);
  assert.equal(d.modifiedNoWritePageCount, 4);
  assert.equal(d.badPageCount, 5);
  assert.deepEqual(d.pageCountByPriority, [6, 7, 8, 9, 10, 11, 12, 13]);
  assert.deepEqual(d.repurposedPagesByPriority, [14, 15, 16, 17, 18, 19, 20, 21]);
  assert.equal(d.modifiedPageCountPageFile, 22);
  assert.deepEqual(w.encodeMemoryListInformation(d), golden);
  assert.throws(() => w.decodeMemoryListInformation(new Uint8Array(175)), RangeError);
});

Deno.test("ffi/windows: memory-list commands, combine info, LUID and TOKEN_PRIVILEGES", () => {
  const cmds: [number, number[]][] = [[2, [2, 0, 0, 0]], [3, [3, 0, 0, 0]], [4, [4, 0, 0, 0]], [5, [
    5,
    0,
    0,
    0,
  ]]];
  for (const [cmd, bytes] of cmds) {
    assert.deepEqual([...w.encodeMemoryListCommand(cmd)], bytes);
    assert.equal(w.decodeMemoryListCommand(new Uint8Array(bytes)), cmd);
  }
  const ex = w.encodeMemoryCombine(24, { handle: 0n, pagesCombined: 0, flags: 4 });
  assert.deepEqual(ex, layout(24, [[16, 4, 4]]));
  const out = layout(16, [[8, 8, 12345]]);
  assert.deepEqual(w.decodeMemoryCombine(out), { handle: 0n, pagesCombined: 12345 });
  assert.deepEqual(w.decodeLuid(w.encodeLuid(13, -2)), { low: 13, high: -2 });
  const tp = w.encodeTokenPrivileges([{
    luidLow: 13,
    luidHigh: 0,
    attributes: w.SE_PRIVILEGE_ENABLED,
  }]);
  assert.deepEqual(tp, layout(16, [[0, 4, 1], [4, 4, 13], [8, 4, 0], [12, 4, 2]]));
  const two = w.encodeTokenPrivileges([
    { luidLow: 5, luidHigh: 0, attributes: 0 },
    { luidLow: 13, luidHigh: 0, attributes: 2 },
  ]);
  assert.equal(two.length, 28);
  assert.deepEqual(w.decodeTokenPrivileges(two)[1], { luidLow: 13, luidHigh: 0, attributes: 2 });
  assert.throws(
    () => w.decodeTokenPrivileges(layout(16, [[0, 4, 3]])),
    RangeError,
    "count beyond buffer",
  );
});

Deno.test("ffi/windows: PROCESSENTRY32W, RTL_OSVERSIONINFOW and UTF-16 strings", () => {
  const e = { pid: 1234, threads: 9, parentPid: 900, basePriority: 8, exeFile: "chrome.exe" };
  const buf = w.encodeProcessEntry32(e);
  const v = new DataView(buf.buffer);
  assert.deepEqual(
    [
      v.getUint32(0, true),
      v.getUint32(8, true),
      v.getUint32(28, true),
      v.getUint32(32, true),
      v.getInt32(36, true),
    ],
    [568, 1234, 9, 900, 8],
  );
  assert.equal(v.getUint16(44, true), "c".charCodeAt(0), "szExeFile at 44");
  assert.deepEqual(w.decodeProcessEntry32(buf), e);
  const ver = { major: 10, minor: 0, build: 22631, platformId: 2, csdVersion: "" };
  const vb = w.encodeOsVersionInfo(ver);
  assert.deepEqual(
    vb,
    layout(276, [[0, 4, 276], [4, 4, 10], [8, 4, 0], [12, 4, 22631], [16, 4, 2]]),
  );
  assert.deepEqual(w.decodeOsVersionInfo(vb), ver);
  assert.deepEqual([...w.utf16z("Ab")], [0x41, 0, 0x62, 0, 0, 0]);
  assert.equal(w.fromUtf16(w.utf16z("Se\u00e9x")), "Se\u00e9x");
  assert.equal(w.readHandleCell(w.newHandleCell(0xFFFF_FFFF_FFFF_FFFFn)), w.CURRENT_PROCESS);
  assert.equal(w.readU32(w.newU32(1300)), 1300);
});

Deno.test("ffi/windows: NTSTATUS helpers", () => {
  const cases: [number, string, boolean][] = [
    [0, "0x00000000", true],
    [0xC0000022, "0xC0000022", false],
    [-1073741727, "0xC0000061", false],
    [0x00000103, "0x00000103", true],
  ];
  for (const [st, hex, ok] of cases) {
    assert.equal(w.ntstatusHex(st), hex);
    assert.equal(w.ntSuccess(st), ok);
  }
});

/** UTF-16LE bytes of `s` written at `at` (hand-rolled, not the codec's utf16z). */
function putWide(buf: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) {
    new DataView(buf.buffer).setUint16(at + i * 2, s.charCodeAt(i), true);
  }
}

Deno.test("ffi/windows: decoders read every documented offset of hand-built structs", () => {
  // PROCESSENTRY32W: dwSize@0, cntUsage@4, th32ProcessID@8, th32DefaultHeapID (ULONG_PTR)@16,
  // th32ModuleID@24, cntThreads@28, th32ParentProcessID@32, pcPriClassBase (LONG)@36,
  // dwFlags@40, szExeFile WCHAR[260]@44.
  const pe = layout(568, [
    [0, 4, 568],
    [4, 4, 0xAAAA],
    [8, 4, 4321],
    [16, 8, 0xBBBB_BBBB_BBBBn],
    [24, 4, 0xCCCC],
    [28, 4, 17],
    [32, 4, 4000],
    [36, 4, 0xFFFF_FFFF], // pcPriClassBase = -1
    [40, 4, 0xDDDD],
  ]);
  putWide(pe, 44, "Code.exe");
  assert.deepEqual(w.decodeProcessEntry32(pe), {
    pid: 4321,
    threads: 17,
    parentPid: 4000,
    basePriority: -1,
    exeFile: "Code.exe",
  });
  // RTL_OSVERSIONINFOW: size@0, major@4, minor@8, build@12, platform@16, szCSDVersion[128]@20.
  const ver = layout(276, [[0, 4, 276], [4, 4, 6], [8, 4, 3], [12, 4, 9600], [16, 4, 2]]);
  putWide(ver, 20, "Service Pack 1");
  assert.deepEqual(w.decodeOsVersionInfo(ver), {
    major: 6,
    minor: 3,
    build: 9600,
    platformId: 2,
    csdVersion: "Service Pack 1",
  });
  // LUID: LowPart DWORD@0, HighPart LONG@4.
  assert.deepEqual(w.encodeLuid(13, -2), layout(8, [[0, 4, 13], [4, 4, 0xFFFF_FFFE]]));
  assert.deepEqual(w.decodeLuid(layout(8, [[0, 4, 5], [4, 4, 7]])), { low: 5, high: 7 });
});

Deno.test("ffi/windows: SYSTEM_PAGEFILE_INFORMATION follows NextEntryOffset past the names", () => {
  // Each entry: NextEntryOffset@0, TotalSize@4, TotalInUse@8, PeakUsage@12 (ULONG, pages), then
  // PageFileName UNICODE_STRING@16 (Length u16@16, MaximumLength u16@18, Buffer ptr@24); the
  // kernel puts the name's characters after the fixed 32 bytes, so the next entry is further on.
  const name = "\\??\\C:\\pagefile.sys";
  const first = 32 + Math.ceil((name.length * 2) / 8) * 8;
  const buf = layout(first + 32, [
    [0, 4, first],
    [4, 4, 262_144],
    [8, 4, 1_000],
    [12, 4, 2_000],
    [first + 4, 4, 131_072],
    [first + 8, 4, 30],
    [first + 12, 4, 40],
  ]);
  putWide(buf, 32, name);
  assert.deepEqual(w.decodePageFileInformation(buf, buf.length), [
    { totalSize: 262_144, totalInUse: 1_000, peakUsage: 2_000 },
    { totalSize: 131_072, totalInUse: 30, peakUsage: 40 },
  ]);
  // The length NtQuerySystemInformation returned bounds the walk.
  assert.equal(w.decodePageFileInformation(buf, first).length, 1);
  assert.deepEqual(w.decodePageFileInformation(buf, 0), []);
  // The encoder (used by the fake WinApi) writes the same offsets, chaining at 32 bytes.
  assert.deepEqual(
    w.encodePageFileInformation([
      { totalSize: 100, totalInUse: 10, peakUsage: 20 },
      { totalSize: 200, totalInUse: 30, peakUsage: 40 },
    ]),
    layout(64, [
      [0, 4, 32],
      [4, 4, 100],
      [8, 4, 10],
      [12, 4, 20],
      [36, 4, 200],
      [40, 4, 30],
      [44, 4, 40],
    ]),
  );
});
