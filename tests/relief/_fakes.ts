/** Small shared fakes: a manual clock and a typical Windows desktop for the fake WinApi. */
import type { Clock } from "../../lib/relief/mod.ts";

/** A clock that advances `step` ms per `now()` call and jumps on `sleep`. */
export function fakeClock(
  start = Date.UTC(2025, 0, 1),
  step = 1,
): Clock & { t: number; slept: number[] } {
  const c = {
    t: start,
    slept: [] as number[],
    now: () => (c.t += step),
    sleep: (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
      return Promise.resolve();
    },
  };
  return c;
}

/** A process in the fake WinApi. */
export interface FakeProc {
  pid: number;
  ppid: number;
  exe: string;
  wsPages: number;
  /** Fraction of the working set that is dirty (goes to modified when trimmed). */
  dirty?: number;
  /** OpenProcess fails with ERROR_ACCESS_DENIED (elevated, SYSTEM, protected). */
  protected?: boolean;
}

/** A typical desktop: our process, a foreground browser with children, a game, services. */
export function desktop(): FakeProc[] {
  const MB = 256; // pages per MB
  return [
    { pid: 0, ppid: 0, exe: "[System Process]", wsPages: 0 },
    { pid: 4, ppid: 0, exe: "System", wsPages: 40 * MB, protected: true },
    { pid: 600, ppid: 4, exe: "lsass.exe", wsPages: 60 * MB, protected: true },
    { pid: 700, ppid: 4, exe: "svchost.exe", wsPages: 120 * MB, protected: true },
    { pid: 1000, ppid: 900, exe: "chrome.exe", wsPages: 400 * MB },
    { pid: 1001, ppid: 1000, exe: "chrome.exe", wsPages: 200 * MB },
    { pid: 1002, ppid: 1000, exe: "crashpad_handler.exe", wsPages: 60 * MB },
    { pid: 1100, ppid: 900, exe: "Code.exe", wsPages: 300 * MB, dirty: 0.5 },
    { pid: 1200, ppid: 900, exe: "game.exe", wsPages: 900 * MB },
    { pid: 1300, ppid: 900, exe: "notepad.exe", wsPages: 10 * MB },
    { pid: 1400, ppid: 900, exe: "slack.exe", wsPages: 250 * MB },
    { pid: 2000, ppid: 1100, exe: "memoryoss.exe", wsPages: 60 * MB },
    { pid: 2100, ppid: 4, exe: "Memory Compression", wsPages: 150 * MB },
  ];
}
