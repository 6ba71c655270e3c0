/** maps → iovecs, batching limits, and the page-out driver against a fake kernel. */
import assert from "node:assert/strict";
import {
  decodeIovecs,
  encodeIovecs,
  ERRNO,
  type IoVec,
  type LinuxApi,
  pageoutCandidates,
  pageoutRanges,
  parseMaps,
  planIovecBatches,
} from "../../ffi/linux/mod.ts";

const MAPS = `55d0a0000000-55d0a0021000 rw-p 00000000 00:00 0                          [heap]
7f0000000000-7f0010000000 rw-p 00000000 00:00 0 
7f1000000000-7f1000100000 r-xp 00000000 08:01 42                         /usr/lib/libc.so.6
7f1000200000-7f1000201000 rw-p 00200000 08:01 42                         /usr/lib/libc.so.6
7f2000000000-7f2000001000 rw-s 00000000 00:05 7                          /dev/shm/x
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
7ffd00100000-7ffd00104000 r--p 00000000 00:00 0                          [vvar]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
`;

Deno.test("ffi/linux: private rw ranges are the page-out candidates", () => {
  const all = parseMaps(MAPS);
  assert.equal(all.length, 8);
  assert.deepEqual(all[7], {
    start: 0xffffffffff600000n,
    end: 0xffffffffff601000n,
    perms: "--xp",
    path: "[vsyscall]",
  });
  const c = pageoutCandidates(all).map((r) => r.path || "(anon)");
  assert.deepEqual(c, ["[heap]", "(anon)", "/usr/lib/libc.so.6", "[stack]"]);
});

Deno.test("ffi/linux: iovec batches stay within 512 entries and 1 GiB per call", () => {
  const small = Array.from(
    { length: 1300 },
    (_, i): IoVec => ({ base: BigInt(i) << 20n, len: 4096n }),
  );
  assert.deepEqual(planIovecBatches(small).map((b) => b.length), [512, 512, 276]);
  const big = planIovecBatches([{ base: 0x1000n, len: (5n << 30n) / 2n }]);
  assert.deepEqual(big.map((b) => b.map((v) => v.len)), [[1n << 30n], [1n << 30n], [1n << 29n]]);
  assert.equal(big[1][0].base, 0x1000n + (1n << 30n), "pieces are contiguous");
  const mixed = planIovecBatches([{ base: 0n, len: 3n << 29n }, {
    base: 1n << 40n,
    len: 3n << 29n,
  }]);
  for (const b of mixed) assert.ok(b.reduce((a, v) => a + v.len, 0n) <= 1n << 30n);
  assert.deepEqual(planIovecBatches([]), []);
});

Deno.test("ffi/linux: iovec codec is {u64 base, u64 len} little-endian", () => {
  const buf = encodeIovecs([{ base: 0x7f0000000000n, len: 0x21000n }]);
  assert.deepEqual([...buf], [0, 0, 0, 0, 0, 0x7f, 0, 0, 0, 0x10, 0x02, 0, 0, 0, 0, 0]);
  assert.deepEqual(decodeIovecs(buf, 1), [{ base: 0x7f0000000000n, len: 0x21000n }]);
});

/** A fake kernel: refuses listed bases with errno, or stops partway like process_madvise. */
function kernel(opts: { refuse?: Map<bigint, number>; fatal?: number; eintrOnce?: boolean }) {
  const calls: IoVec[][] = [];
  let interrupted = false;
  const api: LinuxApi = {
    pidfdOpen: () => ({ value: 3, errno: 0 }),
    processMadvise: (_fd, iov, n) => {
      const vecs = decodeIovecs(iov, n);
      calls.push(vecs);
      if (opts.fatal) return { value: -1, errno: opts.fatal };
      if (opts.eintrOnce && !interrupted) {
        interrupted = true;
        return { value: -1, errno: ERRNO.EINTR };
      }
      let done = 0n;
      for (const v of vecs) {
        const e = opts.refuse?.get(v.base);
        if (e) return done > 0n ? { value: Number(done), errno: 0 } : { value: -1, errno: e };
        done += v.len;
      }
      return { value: Number(done), errno: 0 };
    },
    closeFd: () => {},
    sync: () => {},
    close: () => {},
    // File I/O goes through the fake FsLike in these tests.
    open: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    read: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    write: () => ({ value: -1, errno: ERRNO.ENOSYS }),
    getdents64: () => ({ value: -1, errno: ERRNO.ENOSYS }),
  };
  return { api, calls };
}

const vecs = (n: number) =>
  Array.from({ length: n }, (_, i): IoVec => ({ base: BigInt(i + 1) << 24n, len: 1n << 20n }));

Deno.test("ffi/linux: page-out skips refused ranges and keeps going", () => {
  const cases: [string, Parameters<typeof kernel>[0], number, number, number, number][] = [
    // label, kernel, advised MB, skipped, errno, calls
    ["all accepted", {}, 10, 0, 0, 1],
    [
      "locked range in the middle (partial return)",
      { refuse: new Map([[4n << 24n, ERRNO.EINVAL]]) },
      9,
      1,
      0,
      2,
    ],
    [
      "first range unmapped since maps was read",
      { refuse: new Map([[1n << 24n, ERRNO.ENOMEM]]) },
      9,
      1,
      0,
      2,
    ],
    ["EINTR is retried", { eintrOnce: true }, 10, 0, 0, 2],
    ["EPERM stops", { fatal: ERRNO.EPERM }, 0, 0, ERRNO.EPERM, 1],
    ["ESRCH stops", { fatal: ERRNO.ESRCH }, 0, 0, ERRNO.ESRCH, 1],
  ];
  for (const [label, k, mb, skipped, errno, calls] of cases) {
    const { api, calls: made } = kernel(k);
    const r = pageoutRanges(api, 3, vecs(10));
    assert.deepEqual(
      [r.advisedBytes / 1048576, r.skippedRanges, r.errno, r.calls, r.requestedBytes / 1048576],
      [mb, skipped, errno, calls, 10],
      label,
    );
    assert.equal(made.length, calls);
  }
});

Deno.test("ffi/linux: page-out batches a big process into several calls", () => {
  const { api, calls } = kernel({});
  const r = pageoutRanges(api, 3, vecs(1100));
  assert.deepEqual(calls.map((c) => c.length), [512, 512, 76]);
  assert.equal(r.advisedBytes, 1100 * 1048576);
});
