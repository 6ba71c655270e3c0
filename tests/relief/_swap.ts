/**
 * Test helpers for real page-out: decide up front whether the test can run (root, and swap
 * either present or creatable), and create / remove a temporary swap file.
 */
import { parseMeminfo } from "../../ffi/linux/mod.ts";

async function sh(cmd: string, ...args: string[]): Promise<{ ok: boolean; err: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    return { ok: out.success, err: new TextDecoder().decode(out.stderr).trim() };
  } catch (e) {
    return { ok: false, err: (e as Error).message };
  }
}

/** Create a swap file of `size` (e.g. "1G") in `dir` and enable it; returns its path. */
export async function swapOn(dir: string, size: string): Promise<string> {
  const file = `${dir}/swapfile`;
  let made = await sh("fallocate", "-l", size, file);
  if (!made.ok) {
    // Some file systems refuse fallocate'd swap; dd always works.
    const mb = size.endsWith("G") ? Number(size.slice(0, -1)) * 1024 : Number(size.slice(0, -1));
    made = await sh("dd", "if=/dev/zero", `of=${file}`, "bs=1M", `count=${mb}`, "status=none");
  }
  if (!made.ok) throw new Error(`cannot create ${file}: ${made.err}`);
  await Deno.chmod(file, 0o600);
  const mk = await sh("mkswap", file);
  if (!mk.ok) throw new Error(`mkswap: ${mk.err}`);
  const on = await sh("swapon", file);
  if (!on.ok) throw new Error(`swapon: ${on.err}`);
  return file;
}

/** Disable and delete a swap file (retrying swapoff briefly: pages may still be in use). */
export async function swapOff(file: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const r = await sh("swapoff", file);
    if (r.ok || /Invalid argument/.test(r.err)) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  await Deno.remove(file).catch(() => {});
}

function hasSwap(): boolean {
  return (parseMeminfo(Deno.readTextFileSync("/proc/meminfo")).SwapTotal ?? 0) > 0;
}

/**
 * Why a real page-out test cannot run here, or null when it can. Probes swapon with a tiny
 * file so a VM that forbids it is skipped with the reason, not failed.
 */
export async function pageoutSkipReason(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "Linux only";
  const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(Deno.readTextFileSync("/proc/self/status"))?.[1];
  if (uid !== "0") {
    return "needs root: process_madvise on another process needs CAP_SYS_NICE, swapon needs CAP_SYS_ADMIN";
  }
  if (hasSwap()) return null;
  const dir = await Deno.makeTempDir({ prefix: "relief-swap-probe-" });
  try {
    const file = await swapOn(dir, "1M");
    await swapOff(file);
    return null;
  } catch (e) {
    return `no swap and swapon is not permitted in this VM (${(e as Error).message})`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** True when the machine has swap right now. */
export { hasSwap };
