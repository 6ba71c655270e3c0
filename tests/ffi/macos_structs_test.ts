/** macOS codecs: vm_statistics64 and xsw_usage offsets. */
import assert from "node:assert/strict";
import {
  decodeSwapUsage,
  decodeVmStatistics64,
  encodeSwapUsage,
  encodeVmStatistics64,
  HOST_VM_INFO64_COUNT,
  VM_STATISTICS64_SIZE,
  XSW_USAGE_SIZE,
} from "../../ffi/macos/mod.ts";

Deno.test("ffi/macos: vm_statistics64 layout (152 bytes, 38 words)", () => {
  assert.equal(VM_STATISTICS64_SIZE, 152);
  assert.equal(HOST_VM_INFO64_COUNT, 38);
  const buf = new Uint8Array(152);
  const v = new DataView(buf.buffer);
  const at: [number, number][] = [
    [0, 11],
    [4, 22],
    [8, 33],
    [12, 44],
    [88, 55],
    [92, 66],
    [128, 77],
    [136, 88],
    [140, 99],
  ];
  for (const [o, n] of at) v.setUint32(o, n, true);
  const d = decodeVmStatistics64(buf);
  assert.deepEqual(d, {
    freeCount: 11,
    activeCount: 22,
    inactiveCount: 33,
    wireCount: 44,
    purgeableCount: 55,
    speculativeCount: 66,
    compressorPageCount: 77,
    externalPageCount: 88,
    internalPageCount: 99,
  });
  assert.deepEqual(encodeVmStatistics64(d), buf);
  assert.throws(() => decodeVmStatistics64(new Uint8Array(151)), RangeError);
});

Deno.test("ffi/macos: xsw_usage layout", () => {
  assert.equal(XSW_USAGE_SIZE, 32);
  const s = { total: 2 ** 31, avail: 2 ** 30, used: 2 ** 30, pageSize: 16384, encrypted: true };
  const buf = encodeSwapUsage(s);
  const v = new DataView(buf.buffer);
  assert.deepEqual(
    [
      v.getBigUint64(0, true),
      v.getBigUint64(8, true),
      v.getBigUint64(16, true),
      v.getUint32(24, true),
      buf[28],
    ],
    [2n ** 31n, 2n ** 30n, 2n ** 30n, 16384, 1],
  );
  assert.deepEqual(decodeSwapUsage(buf), s);
});
