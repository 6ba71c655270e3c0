/** Token logic through the fake WinApi: elevation and privilege results, table-driven. */
import assert from "node:assert/strict";
import {
  enablePrivilege,
  ntOutcome,
  type PrivilegeResult,
  tokenElevation,
} from "../../lib/relief/mod.ts";
import { ntstatusHex } from "../../ffi/windows/mod.ts";
import { FakeWin, type FakeWinOptions } from "./_fake_win.ts";

const fake = (o: Partial<FakeWinOptions>) =>
  new FakeWin({ elevated: true, procs: [], selfPid: 1, foregroundPid: null, ...o });

Deno.test("windows token: elevation and its type", () => {
  const cases: [Partial<FakeWinOptions>, boolean, string | null][] = [
    [{ elevated: true }, true, "full"],
    [{ elevated: false }, false, "limited"],
    [{ elevated: false, elevationType: 1 }, false, "default"],
    [{ elevated: true, openTokenFails: true }, false, null],
  ];
  for (const [o, elevated, type] of cases) {
    assert.deepEqual(tokenElevation(fake(o)), { elevated, type }, JSON.stringify(o));
  }
});

Deno.test("windows token: enabling a privilege is checked against the token", () => {
  const cases: [Partial<FakeWinOptions>, PrivilegeResult][] = [
    [{}, "enabled"],
    [{ held: [5] }, "not_held"], // TRUE + ERROR_NOT_ALL_ASSIGNED
    [{ held: [5], lastErrorLies: true }, "not_held"], // TRUE + 0: the read-back still says no
    [{ lookupFails: true }, "lookup_failed"],
    [{ adjustFails: true }, "adjust_failed"],
    [{ openTokenFails: true }, "token_failed"],
  ];
  for (const [o, want] of cases) {
    const api = fake(o);
    assert.equal(enablePrivilege(api, "SeProfileSingleProcessPrivilege"), want, JSON.stringify(o));
    assert.equal(api.enabled.has(13), want === "enabled");
  }
});

Deno.test("windows: NTSTATUS → stage outcome", () => {
  const cases: [number, string, string | undefined][] = [
    [0, "ok", undefined],
    [0xC0000061, "error", "privilege_not_held"],
    [0xC0000022, "error", "access_denied"],
    [0xC0000003, "skipped", "not_supported_os"],
    [0xC0000002, "skipped", "not_supported_os"],
    [0xC00000F0, "error", "ntstatus_0xC00000F0"],
  ];
  for (const [st, status, reason] of cases) {
    const o = ntOutcome(st | 0);
    assert.deepEqual([o.status, o.reason, o.ntstatus], [status, reason, ntstatusHex(st)]);
  }
});
