/** Real libc through Deno.dlopen (Linux only): pidfd_open, errno, process_madvise on self. */
import assert from "node:assert/strict";
import {
  decodeDirents,
  ERRNO,
  errnoError,
  libcFiles,
  MADV_COLD,
  openLibc,
  pageoutCandidates,
  pageoutRanges,
  parseMaps,
} from "../../ffi/linux/mod.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

const notLinux = onlyOn("linux");

Deno.test(skipIf(notLinux, "ffi/linux (real): pidfd_open and errno"), () => {
  const api = openLibc();
  try {
    const fd = api.pidfdOpen(Deno.pid);
    assert.ok(fd.value >= 0, `pidfd_open(self) → ${JSON.stringify(fd)}`);
    api.closeFd(fd.value);
    // PIDs are at most 2^22: this one cannot exist.
    assert.deepEqual(api.pidfdOpen(0x7ffffff0), { value: -1, errno: ERRNO.ESRCH });
  } finally {
    api.close();
  }
});

Deno.test(
  skipIf(notLinux, "ffi/linux (real): process_madvise(MADV_COLD) on our own memory"),
  () => {
    const api = openLibc();
    const fd = api.pidfdOpen(Deno.pid);
    try {
      // COLD only deactivates pages (no I/O), so this is harmless to the test runner.
      const ranges = pageoutCandidates(parseMaps(Deno.readTextFileSync("/proc/self/maps")));
      const r = pageoutRanges(
        api,
        fd.value,
        ranges.map((x) => ({ base: x.start, len: x.end - x.start })),
        MADV_COLD,
      );
      assert.equal(r.errno, 0);
      assert.ok(r.advisedBytes > 0 && r.advisedBytes <= r.requestedBytes);
    } finally {
      api.closeFd(fd.value);
      api.close();
    }
  },
);

Deno.test(
  skipIf(notLinux, "ffi/linux (real): /proc and /sys through libc, errors like Deno's"),
  async () => {
    const api = openLibc();
    try {
      const files = libcFiles(api);
      const mine = await files.readText("/proc/self/status");
      assert.match(mine, new RegExp(`^Pid:\\s+${Deno.pid}$`, "m"));
      const meminfo = await files.readText("/proc/meminfo");
      assert.equal(meminfo.split("\n")[0], Deno.readTextFileSync("/proc/meminfo").split("\n")[0]);
      // More than one 64 KiB read.
      const smaps = await files.readText("/proc/self/smaps");
      assert.ok(smaps.length > 65536, `smaps is ${smaps.length} bytes`);
      const pids = await files.readDir("/proc");
      assert.ok(pids.includes(String(Deno.pid)) && pids.includes("meminfo") && !pids.includes("."));
      await assert.rejects(
        () => files.readText("/proc/no-such-file"),
        (e: Error & { code?: string }) => {
          assert.ok(e instanceof Deno.errors.NotFound);
          return e.code === "ENOENT";
        },
      );
      await assert.rejects(
        () => files.writeText("/proc/sys/vm/no-such-knob", "1", { create: false }),
        Deno.errors.NotFound,
      );
      await assert.rejects(
        () => files.writeText("/proc/self/stat", "x", { create: false }),
        /EINVAL|EACCES|EIO/,
      );
      // A regular file round trip (create, truncate, append).
      const dir = await Deno.makeTempDir();
      try {
        await files.writeText(`${dir}/f`, "abc");
        await files.writeText(`${dir}/f`, "de", { append: true });
        assert.equal(await files.readText(`${dir}/f`), "abcde");
        await files.writeText(`${dir}/f`, "z");
        assert.equal(Deno.readTextFileSync(`${dir}/f`), "z");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    } finally {
      api.close();
    }
  },
);

Deno.test("ffi/linux: linux_dirent64 decoding and errno errors", () => {
  const rec = (name: string, type: number) => {
    const len = Math.ceil((19 + name.length + 1) / 8) * 8;
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, 42n, true);
    v.setUint16(16, len, true);
    b[18] = type;
    b.set(new TextEncoder().encode(name), 19);
    return b;
  };
  const parts = [rec(".", 4), rec("1234", 4), rec("meminfo", 8)];
  const buf = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (buf.set(p, at), at += p.length);
  assert.deepEqual(decodeDirents(buf, buf.length), [
    { name: ".", type: 4 },
    { name: "1234", type: 4 },
    { name: "meminfo", type: 8 },
  ]);
  assert.deepEqual(decodeDirents(buf, parts[0].length).map((e) => e.name), ["."]);
  const cases: [number, string, unknown][] = [
    [2, "ENOENT", Deno.errors.NotFound],
    [13, "EACCES", Deno.errors.PermissionDenied],
    [1, "EPERM", Deno.errors.PermissionDenied],
    [11, "EAGAIN", Error],
    [99, "E99", Error],
  ];
  for (const [errno, code, cls] of cases) {
    const e = errnoError(errno, "x");
    assert.equal(e.code, code);
    assert.ok(e instanceof (cls as typeof Error));
  }
});
