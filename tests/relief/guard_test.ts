/** The process guard: whitelist, foreground by image and tree, critical, self, size. */
import assert from "node:assert/strict";
import {
  descendants,
  type ForegroundInfo,
  type GuardOptions,
  guardProcesses,
  imageKey,
  type ProcInfo,
} from "../../lib/relief/mod.ts";

const MB = 1048576;
const p = (pid: number, ppid: number | null, image: string, wsMb: number | null): ProcInfo => ({
  pid,
  ppid,
  image,
  ws: wsMb === null ? null : wsMb * MB,
  private: null,
});
const procs = [
  p(4, 0, "System", 40),
  p(500, 4, "csrss.exe", 80),
  p(1000, 900, "chrome.exe", 500),
  p(1001, 1000, "chrome.exe", 300),
  p(1002, 1001, "helper.exe", 100),
  p(1003, 7000, "chrome.exe", 200),
  p(1100, 900, "Game.EXE", 900),
  p(1200, 900, "tool.exe", 20),
  p(1300, 900, "locked.exe", null),
  p(2000, 900, "memoryoss.exe", 80),
];
const fg: ForegroundInfo = { detected: true, pid: 1001, image: "chrome.exe", pids: [1001, 1002] };
const base: GuardOptions = {
  platform: "windows",
  selfPid: 2000,
  whitelist: [],
  excludeForeground: true,
  foreground: fg,
  minWsBytes: 50 * MB,
  onlyPids: null,
};
const decide = (o: Partial<GuardOptions>) =>
  Object.fromEntries(guardProcesses(procs, { ...base, ...o }).map((d) => [d.proc.pid, d.reason]));

Deno.test("guard: decisions per rule", () => {
  const cases: [string, Partial<GuardOptions>, Record<number, string | null>][] = [
    ["defaults", {}, {
      4: "critical",
      500: "critical",
      1000: "foreground", // same image as the foreground (Memoria)
      1001: "foreground",
      1002: "foreground_tree", // child of the foreground, other image
      1003: "foreground",
      1100: null,
      1200: "below_min_ws",
      1300: "access_denied",
      2000: "self",
    }],
    ["whitelist is case- and .exe-insensitive", { whitelist: ["game", "TOOL.exe"] }, {
      1100: "whitelisted",
      1200: "whitelisted",
    }],
    ["no foreground exclusion", { excludeForeground: false }, {
      1000: null,
      1001: null,
      1002: null,
    }],
    [
      "foreground undetected",
      { foreground: { detected: false, pid: null, image: null, pids: [] } },
      {
        1001: null,
        1002: null,
      },
    ],
    [
      "explicit PIDs override the foreground rule, not the others",
      { onlyPids: [1001, 500, 2000] },
      {
        1001: null,
        500: "critical",
        2000: "self",
        1100: "not_selected",
      },
    ],
    ["min ws 0", { minWsBytes: 0 }, { 1200: null }],
  ];
  for (const [label, o, want] of cases) {
    const got = decide(o);
    for (const [pid, reason] of Object.entries(want)) {
      assert.equal(got[+pid], reason, `${label}: ${pid}`);
    }
  }
});

Deno.test("guard: every critical Windows process of memoria §3.1 is spared", () => {
  // §3.1 "process_trim skips … critical processes: csrss, wininit, winlogon, lsass, services,
  // smss, dwm, audiodg, MsMpEng, MemCompression, System, Registry" — as Windows names them.
  const images = [
    "C:\\Windows\\System32\\csrss.exe",
    "C:\\Windows\\System32\\wininit.exe",
    "C:\\Windows\\System32\\winlogon.exe",
    "C:\\Windows\\System32\\lsass.exe",
    "C:\\Windows\\System32\\services.exe",
    "C:\\Windows\\System32\\smss.exe",
    "C:\\Windows\\System32\\dwm.exe",
    "C:\\Windows\\System32\\audiodg.exe",
    "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2\\MsMpEng.exe",
    "MemCompression",
    "Memory Compression",
    "System",
    "Registry",
  ];
  const d = guardProcesses(
    [...images.map((img, i) => p(100 + i * 4, 4, img, 500)), p(900, 4, "notepad.exe", 500)],
    { ...base, foreground: { detected: false, pid: null, image: null, pids: [] } },
  );
  assert.deepEqual(
    d.map((x) => [x.proc.image, x.reason]),
    [...images.map((img) => [img, "critical"]), ["notepad.exe", null]],
  );
});

Deno.test("guard: linux critical names and pid 1", () => {
  const d = guardProcesses([
    p(1, 0, "systemd", 20),
    p(50, 1, "pipewire", 90),
    p(60, 1, "java", 900),
  ], {
    ...base,
    platform: "linux",
    foreground: { detected: true, pid: null, image: null, pids: [] },
  });
  assert.deepEqual(d.map((x) => x.reason), ["critical", "critical", null]);
});

Deno.test("guard: descendants and image keys", () => {
  assert.deepEqual([...descendants(procs, 1000)].sort(), [1001, 1002]);
  assert.deepEqual([...descendants(procs, 1002)], []);
  // A PID-reuse cycle must not loop.
  assert.deepEqual([...descendants([p(1, 2, "a", 1), p(2, 1, "b", 1)], 1)], [2]);
  const keys: [string, string][] = [
    ["C:\\Program Files\\Google\\Chrome.EXE", "chrome"],
    ["/usr/bin/node", "node"],
    ["Memory Compression", "memory compression"],
  ];
  for (const [image, key] of keys) assert.equal(imageKey(image), key);
});
