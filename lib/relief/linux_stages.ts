/**
 * Linux system stages: cgroup v2 `memory.reclaim` (own delegated cgroup, or the root cgroup
 * for the admin tiers), compaction (standard and aggressive, root only) and drop_caches
 * (aggressive, root only), as memoria §4 lists them.
 *
 * @module
 */
import { cgroup2Mounts, cgroupV2Path } from "../../ffi/linux/mod.ts";
import { errorText, fsErrorKind } from "./fs.ts";
import type { FsLike, StageOutcome } from "./types.ts";

/**
 * The cgroup whose memory.reclaim the safe tier writes: our `user@UID.service` when we run
 * inside one (the delegated unit a user owns), else our own leaf cgroup. Null in the root.
 *
 * @example
 * ```ts
 * reclaimTarget("/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope");
 * // "/user.slice/user-1000.slice/user@1000.service"
 * ```
 */
export function reclaimTarget(cgroupPath: string): string | null {
  const parts = cgroupPath.split("/").filter(Boolean);
  if (!parts.length) return null;
  const unit = parts.findIndex((p) => /^user@\d+\.service$/.test(p));
  return "/" + (unit >= 0 ? parts.slice(0, unit + 1) : parts).join("/");
}

/** Write `bytes` to memory.reclaim of `cgroup` ("/" = root) under the first mount that has it. */
async function writeReclaim(fs: FsLike, cgroup: string, bytes: number): Promise<StageOutcome> {
  const mounts = cgroup2Mounts(await fs.readText("/proc/self/mountinfo"));
  if (!mounts.length) {
    return { status: "skipped", reason: "not_supported_os", note: "no cgroup v2 mounted" };
  }
  let denied = false;
  for (const m of mounts) {
    const file = `${m.replace(/\/$/, "")}${cgroup === "/" ? "" : cgroup}/memory.reclaim`;
    try {
      await fs.writeText(file, `${bytes}`, { create: false });
      return { status: "ok", api: `memory.reclaim (${file})`, note: `asked for ${mb(bytes)} MB` };
    } catch (e) {
      const kind = fsErrorKind(e);
      if (kind === "again") {
        // The kernel could not find that much to reclaim; what it did reclaim still counts.
        return { status: "ok", api: `memory.reclaim (${file})`, note: "reclaimed less than asked" };
      }
      if (kind === "denied") denied = true;
      else if (kind !== "not_found") {
        return { status: "error", api: `memory.reclaim (${file})`, note: errorText(e) };
      }
    }
  }
  return denied
    ? { status: "skipped", reason: "access_denied", note: "memory.reclaim is not writable" }
    : {
      status: "skipped",
      reason: "not_supported_os",
      note: "no memory.reclaim (memory controller off, or kernel < 5.19)",
    };
}

const mb = (b: number) => Math.round(b / 1048576);

/** cgroup_reclaim: our delegated cgroup. */
export async function cgroupReclaim(fs: FsLike, bytes: number): Promise<StageOutcome> {
  const path = cgroupV2Path(await fs.readText("/proc/self/cgroup"));
  if (path === null) {
    return { status: "skipped", reason: "not_supported_os", note: "not in a cgroup v2 hierarchy" };
  }
  const target = reclaimTarget(path);
  if (target === null) {
    return {
      status: "skipped",
      reason: "root_cgroup",
      note: "we run in the root cgroup; system-wide reclaim is the standard tier's system_reclaim",
    };
  }
  return await writeReclaim(fs, target, bytes);
}

/** system_reclaim: the root cgroup (root only). */
export function systemReclaim(fs: FsLike, bytes: number): Promise<StageOutcome> {
  return writeReclaim(fs, "/", bytes);
}

/** Write one value to a /proc/sys/vm knob, mapping errors to stage outcomes. */
export async function writeSysctl(fs: FsLike, knob: string, value: string): Promise<StageOutcome> {
  const file = `/proc/sys/vm/${knob}`;
  try {
    await fs.writeText(file, value, { create: false });
    return { status: "ok" };
  } catch (e) {
    const kind = fsErrorKind(e);
    if (kind === "denied") {
      return { status: "skipped", reason: "access_denied", note: errorText(e) };
    }
    if (kind === "not_found") return { status: "skipped", reason: "not_supported_os" };
    return { status: "error", note: errorText(e) };
  }
}
