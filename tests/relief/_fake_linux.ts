/**
 * A fake Linux for engine tests: an in-memory /proc and /sys (FsLike) and a fake libc whose
 * process_madvise moves a process's RSS to swap, with errno answers on demand.
 */
import { decodeIovecs, ERRNO, type LinuxApi } from "../../ffi/linux/mod.ts";
import type { FsLike } from "../../lib/relief/mod.ts";

export interface FakeLinuxProc {
  pid: number;
  ppid: number;
  comm: string;
  rssMb: number;
  uid?: number;
  pgrp?: number;
  tpgid?: number;
  /** No address space (kernel thread). */
  kthread?: boolean;
}

export interface FakeLinuxOptions {
  selfPid: number;
  euid: number;
  capSysNice?: boolean;
  swapMb: number;
  procs: FakeLinuxProc[];
  /** /proc/self/cgroup content. */
  cgroup?: string;
  /** cgroup2 mount point, or null for a v1-only system. */
  cgroup2?: string | null;
  /** Files that exist (writable unless listed in writeErrors). */
  files?: string[];
  /** path → errno code thrown on write (e.g. "EACCES", "EAGAIN", "EIO"). */
  writeErrors?: Record<string, string>;
  /** pid → errno for process_madvise. */
  madviseErrno?: Record<number, number>;
}

export class FakeLinux {
  writes: [string, string][] = [];
  advised: number[] = [];
  syncs = 0;
  mem = { total: 16384, available: 6000, free: 2000 };
  constructor(readonly o: FakeLinuxOptions) {}

  proc(pid: number) {
    return this.o.procs.find((p) => p.pid === pid);
  }

  private text(path: string): string | null {
    const m = /^\/proc\/(\d+|self)\/(\w+)$/.exec(path);
    if (m) {
      const p = this.proc(m[1] === "self" ? this.o.selfPid : Number(m[1]));
      if (!p) return null;
      const uid = p.uid ?? 1000;
      const euid = p.pid === this.o.selfPid ? this.o.euid : uid;
      const cap = p.pid === this.o.selfPid && (this.o.euid === 0 || this.o.capSysNice)
        ? "0000000000800000"
        : "0000000000000000";
      switch (m[2]) {
        case "stat":
          return `${p.pid} (${p.comm}) S ${p.ppid} ${p.pgrp ?? p.pid} ${p.pgrp ?? p.pid} ` +
            `${p.tpgid !== undefined ? 34816 : 0} ${p.tpgid ?? -1} 4194304 0 0`;
        case "status":
          return `Name:\t${p.comm}\nUid:\t${uid}\t${euid}\t${uid}\t${uid}\n` +
            (p.kthread ? "" : `VmRSS:\t${p.rssMb * 1024} kB\nRssAnon:\t${p.rssMb * 900} kB\n`) +
            `CapEff:\t${cap}\n`;
        case "maps":
          return p.kthread ? "" : "55d0a0000000-55d0a0021000 rw-p 00000000 00:00 0 [heap]\n" +
            `7f0000000000-${
              (0x7f0000000000 + p.rssMb * 1048576).toString(16)
            } rw-p 00000000 00:00 0 \n` +
            "7f1000000000-7f1000100000 r-xp 00000000 08:01 42 /usr/lib/libc.so.6\n";
        case "cgroup":
          return this.o.cgroup ??
            "0::/user.slice/user-1000.slice/user@1000.service/app.slice/t.scope\n";
        case "mountinfo":
          return this.o.cgroup2 === null
            ? "30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
            : `29 25 0:25 / ${this.o.cgroup2 ?? "/sys/fs/cgroup"} rw - cgroup2 cgroup2 rw\n`;
      }
      return null;
    }
    if (path === "/proc/meminfo") {
      const kb = (mb: number) => `${mb * 1024} kB`;
      return [
        `MemTotal: ${kb(this.mem.total)}`,
        `MemFree: ${kb(this.mem.free)}`,
        `MemAvailable: ${kb(this.mem.available)}`,
        `Buffers: ${kb(100)}`,
        `Cached: ${kb(3000)}`,
        `Shmem: ${kb(200)}`,
        `Inactive(file): ${kb(1500)}`,
        `Dirty: ${kb(30)}`,
        `Writeback: ${kb(2)}`,
        `SwapTotal: ${kb(this.o.swapMb)}`,
        `SwapFree: ${kb(this.o.swapMb)}`,
        `CommitLimit: ${kb(16000)}`,
        `Committed_AS: ${kb(9000)}`,
        "HugePages_Total: 0",
      ].join("\n") + "\n";
    }
    if (path === "/proc/pressure/memory") {
      return "some avg10=1.25 avg60=0.50 avg300=0.10 total=123\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=4\n";
    }
    return null;
  }

  fs: FsLike = {
    readText: (path) => {
      const t = this.text(path);
      return t === null ? Promise.reject(new Deno.errors.NotFound(path)) : Promise.resolve(t);
    },
    readDir: (path) =>
      path === "/proc"
        ? Promise.resolve(["self", "meminfo", ...this.o.procs.map((p) => String(p.pid))])
        : Promise.reject(new Deno.errors.NotFound(path)),
    writeText: (path, text) => {
      const code = this.o.writeErrors?.[path];
      if (code) return Promise.reject(Object.assign(new Error(`${code}: ${path}`), { code }));
      if (!(this.o.files ?? []).includes(path)) {
        return Promise.reject(Object.assign(new Deno.errors.NotFound(path), { code: "ENOENT" }));
      }
      this.writes.push([path, text]);
      if (path.endsWith("drop_caches")) this.mem.available += 500;
      return Promise.resolve();
    },
  };

  api: LinuxApi = {
    pidfdOpen: (pid) =>
      this.proc(pid) ? { value: 1000 + pid, errno: 0 } : { value: -1, errno: ERRNO.ESRCH },
    processMadvise: (fd, iov, count) => {
      const pid = fd - 1000;
      const errno = this.o.madviseErrno?.[pid];
      if (errno) return { value: -1, errno };
      const bytes = decodeIovecs(iov, count).reduce((a, v) => a + Number(v.len), 0);
      const p = this.proc(pid)!;
      this.advised.push(pid);
      this.mem.available += Math.round(p.rssMb * 0.9);
      p.rssMb = Math.round(p.rssMb * 0.1);
      return { value: bytes, errno: 0 };
    },
    closeFd: () => {},
    sync: () => void this.syncs++,
    close: () => {},
    // File I/O goes through the fake FsLike in these tests.
    open: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    read: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    write: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    getdents64: () => ({ value: -1, errno: ERRNO.ENOSYS }),
  };
}

/** A small desktop: init, a shell with a foreground job, our process, some apps. */
export function linuxDesktop(): FakeLinuxProc[] {
  return [
    { pid: 1, ppid: 0, comm: "systemd", rssMb: 12, uid: 0 },
    { pid: 2, ppid: 0, comm: "kthreadd", rssMb: 0, kthread: true, uid: 0 },
    { pid: 300, ppid: 1, comm: "systemd-journal", rssMb: 60, uid: 0 },
    { pid: 800, ppid: 1, comm: "sshd", rssMb: 8, uid: 0 },
    { pid: 900, ppid: 800, comm: "bash", rssMb: 5, pgrp: 900, tpgid: 1500 },
    { pid: 1500, ppid: 900, comm: "vim", rssMb: 70, pgrp: 1500, tpgid: 1500 },
    { pid: 1600, ppid: 900, comm: "node", rssMb: 400, pgrp: 1600, tpgid: 1500 },
    { pid: 1700, ppid: 1, comm: "firefox", rssMb: 900 },
    { pid: 1800, ppid: 1, comm: "slack", rssMb: 300 },
    { pid: 1900, ppid: 1, comm: "tiny", rssMb: 10 },
    { pid: 2000, ppid: 1950, comm: "memoryoss", rssMb: 60, pgrp: 1950, tpgid: 1950 },
    { pid: 1950, ppid: 1, comm: "claude", rssMb: 250, pgrp: 1950, tpgid: 1950 },
  ];
}
