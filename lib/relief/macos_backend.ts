/**
 * The macOS backend: a snapshot from host_statistics64 and sysctl, and no cleanup (report-only:
 * `purge` needs sudo and the compressor is always on).
 *
 * @module
 */
import {
  decodeSwapUsage,
  decodeVmStatistics64,
  HOST_VM_INFO64_COUNT,
  type MacApi,
  VM_STATISTICS64_SIZE,
  XSW_USAGE_SIZE,
} from "../../ffi/macos/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { emptySample } from "./sample.ts";
import type { Backend, Clock, MemSample } from "./types.ts";

/** What the macOS backend needs. */
export interface MacDeps {
  api: MacApi;
  clock: Clock;
}

function sysctlBytes(api: MacApi, name: string, size: number): Uint8Array | null {
  const out = new Uint8Array(size);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(size), true);
  return api.sysctlByName(name, out, len) === 0 ? out : null;
}

function sysctlInt(api: MacApi, name: string, size: 4 | 8): number | null {
  const b = sysctlBytes(api, name, size);
  if (!b) return null;
  const v = new DataView(b.buffer);
  return size === 8 ? Number(v.getBigUint64(0, true)) : v.getInt32(0, true);
}

const PRESSURE: Record<number, string> = { 1: "normal", 2: "warn", 4: "critical" };

/**
 * A byte sample from host_statistics64 (pages × hw.pagesize) and sysctl. "available" is
 * free + inactive + purgeable pages: what the kernel can hand out without swapping.
 *
 * @example
 * ```ts
 * const s = macSample(openMacApi(), Date.now());
 * ```
 */
export function macSample(api: MacApi, now: number): MemSample {
  const total = sysctlInt(api, "hw.memsize", 8);
  const pageSize = sysctlInt(api, "hw.pagesize", 8) ?? 4096;
  const buf = new Uint8Array(VM_STATISTICS64_SIZE);
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, HOST_VM_INFO64_COUNT, true);
  if (total === null || api.hostVmInfo64(buf, count) !== 0) {
    throw new MemoryossError("INTERNAL", "host_statistics64 / hw.memsize failed");
  }
  const vm = decodeVmStatistics64(buf);
  const b = (pages: number) => pages * pageSize;
  const s = emptySample(now, total, b(vm.freeCount + vm.inactiveCount + vm.purgeableCount));
  s.free = b(Math.max(0, vm.freeCount - vm.speculativeCount));
  s.standby = b(vm.inactiveCount);
  s.cache = b(vm.externalPageCount);
  s.compressed = b(vm.compressorPageCount);
  const swap = sysctlBytes(api, "vm.swapusage", XSW_USAGE_SIZE);
  if (swap) s.pagefile_used = decodeSwapUsage(swap).used;
  const level = sysctlInt(api, "kern.memorystatus_vm_pressure_level", 4);
  s.pressure_level = level === null ? null : PRESSURE[level] ?? `level ${level}`;
  for (
    const k of [
      "zeroed",
      "standby_by_priority",
      "modified",
      "commit_used",
      "commit_limit",
      "commit_peak",
      "kernel_paged",
      "kernel_nonpaged",
      "handles",
      "processes",
      "threads",
      "pressure",
      "foreground_image",
    ]
  ) s.unavailable[k] = "not_supported_os";
  return s;
}

/**
 * Build the macOS backend (snapshot only; every cleanup stage is skipped by the planner).
 *
 * @example
 * ```ts
 * const b = macBackend({ api: openMacApi(), clock: systemClock });
 * ```
 */
export function macBackend({ api, clock }: MacDeps): Backend {
  return {
    platform: "darwin",
    facts: () =>
      Promise.resolve({
        isAdmin: false,
        canPageOut: false,
        hasSwap: true,
        windowsVersion: null,
        notes: [],
      }),
    sample: () => Promise.resolve(macSample(api, clock.now())),
    prepare: () => Promise.resolve({}),
    listProcesses: () => Promise.resolve([]),
    foreground: () => Promise.resolve({ detected: false, pid: null, image: null, pids: [] }),
    trimProcess: () =>
      Promise.resolve({ status: "skipped", reason: "not_supported_os", wsAfter: null }),
    runStage: () => Promise.resolve({ status: "skipped", reason: "not_supported_os" }),
    close: () => api.close(),
  };
}
