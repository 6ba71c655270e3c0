/** /proc and /sys parsers against fixture text (including awkward comm names). */
import assert from "node:assert/strict";
import {
  CAP_SYS_NICE,
  cgroup2Mounts,
  cgroupV2Path,
  hasCapability,
  parseMeminfo,
  parsePressure,
  parseStat,
  parseStatus,
  parseSwaps,
} from "../../ffi/linux/mod.ts";

Deno.test("ffi/linux: /proc/meminfo in bytes, unit-less fields as is", () => {
  const m = parseMeminfo(
    "MemTotal:       24684972 kB\nMemAvailable:   23000000 kB\nInactive(file):   171652 kB\n" +
      "HugePages_Total:       0\nHugepagesize:       2048 kB\nnot a line\n",
  );
  assert.deepEqual(m, {
    MemTotal: 24684972 * 1024,
    MemAvailable: 23000000 * 1024,
    "Inactive(file)": 171652 * 1024,
    HugePages_Total: 0,
    Hugepagesize: 2048 * 1024,
  });
});

Deno.test("ffi/linux: PSI lines", () => {
  const p = parsePressure(
    "some avg10=0.12 avg60=1.00 avg300=2.50 total=1234\nfull avg10=0.00 avg60=0.10 avg300=0.20 total=56\n",
  )!;
  assert.deepEqual(p.some, { avg10: 0.12, avg60: 1, avg300: 2.5, total: 1234 });
  assert.deepEqual(p.full, { avg10: 0, avg60: 0.1, avg300: 0.2, total: 56 });
  assert.equal(parsePressure("some avg10=1.00 avg60=0 avg300=0 total=1\n")!.full, null);
  assert.equal(parsePressure(""), null);
});

Deno.test("ffi/linux: /proc/<pid>/status and capabilities", () => {
  const s = parseStatus(
    "Name:\tdeno\nUmask:\t0022\nUid:\t1000\t0\t1000\t1000\nVmRSS:\t  341000 kB\nRssAnon:\t  320000 kB\n" +
      "RssFile:\t   21000 kB\nVmSwap:\t       0 kB\nCapEff:\t000001fffeffffff\n",
  );
  assert.deepEqual(
    [s.name, s.realUid, s.effectiveUid, s.rss, s.rssAnon, s.rssFile, s.swap],
    ["deno", 1000, 0, 341000 * 1024, 320000 * 1024, 21000 * 1024, 0],
  );
  assert.equal(hasCapability(s.capEff, CAP_SYS_NICE), true);
  assert.equal(hasCapability(0x1fffeffffffn, 24), false);
  const kthread = parseStatus("Name:\tkworker/0:1\nUid:\t0\t0\t0\t0\nCapEff:\t0\n");
  assert.equal(kthread.rss, null);
});

Deno.test("ffi/linux: /proc/<pid>/stat with spaces and parentheses in comm", () => {
  const cases: [string, Partial<ReturnType<typeof parseStat>>][] = [
    ["1234 (deno) S 1 1234 1234 34816 1234 4194304", {
      pid: 1234,
      comm: "deno",
      ppid: 1,
      tpgid: 1234,
    }],
    ["77 (tmux: server) S 1 77 77 0 -1 4194560", { comm: "tmux: server", ttyNr: 0, tpgid: -1 }],
    ["88 (a) b)) R 5 6 7 8 9 10", { comm: "a) b)", state: "R", ppid: 5, pgrp: 6, session: 7 }],
  ];
  for (const [text, want] of cases) {
    const got = parseStat(text);
    for (const [k, v] of Object.entries(want)) {
      assert.equal(got[k as keyof typeof got], v, `${text}: ${k}`);
    }
  }
  assert.throws(() => parseStat("garbage"), SyntaxError);
});

Deno.test("ffi/linux: cgroup paths, cgroup2 mounts and swaps", () => {
  assert.equal(cgroupV2Path("4:memory:/x\n0::/user.slice/a.scope\n"), "/user.slice/a.scope");
  assert.equal(cgroupV2Path("0::/\n"), "/");
  assert.equal(cgroupV2Path("4:memory:/x\n"), null);
  const mi = "24 30 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n" +
    "25 30 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
    "26 30 0:24 / /mnt/with\\040space rw - cgroup2 none rw\n";
  assert.deepEqual(cgroup2Mounts(mi), ["/sys/fs/cgroup", "/mnt/with space"]);
  assert.deepEqual(
    parseSwaps("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swapfile file 1048572 512 -2\n"),
    [{ path: "/swapfile", type: "file", size: 1048572 * 1024, used: 512 * 1024 }],
  );
});
