/** The incremental SSE parser and the pass-through tap. */
import assert from "node:assert/strict";
import { SseParser, tapStream } from "../../lib/proxy/mod.ts";

const enc = new TextEncoder();
const STREAM = 'event: delta\ndata: {"t":"héllo ✓"}\n\n: keep-alive\n\n' +
  "data: line one\r\ndata: line two\r\n\r\n" +
  "data: [DONE]\n\n";
const EXPECTED = [
  { event: "delta", data: '{"t":"héllo ✓"}' },
  { event: "message", data: "line one\nline two" },
  { event: "message", data: "[DONE]" },
];

Deno.test("sse parser: whole stream", () => {
  const p = new SseParser();
  assert.deepEqual([...p.feed(enc.encode(STREAM)), ...p.end()], EXPECTED);
});

Deno.test("sse parser: every two-way byte split (mid-line, mid-CRLF, mid-UTF-8)", () => {
  const bytes = enc.encode(STREAM);
  for (let i = 1; i < bytes.length; i++) {
    const p = new SseParser();
    const got = [...p.feed(bytes.subarray(0, i)), ...p.feed(bytes.subarray(i)), ...p.end()];
    assert.deepEqual(got, EXPECTED, `split at byte ${i}`);
  }
});

Deno.test("sse parser: one byte at a time, bare CR line ends, final event without blank line", () => {
  const bytes = enc.encode("data: a\rdata: b\r\rdata: tail");
  const p = new SseParser();
  const got = [];
  for (const b of bytes) got.push(...p.feed(new Uint8Array([b])));
  got.push(...p.end());
  assert.deepEqual(got, [{ event: "message", data: "a\nb" }, { event: "message", data: "tail" }]);
});

Deno.test("tapStream: chunks are forwarded as they are and finish is reported once", async () => {
  const chunks = ["data: 1\n", "\ndata: ", "2\n\n"].map((s) => enc.encode(s));
  const upstream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
  const events: string[] = [];
  const finishes: boolean[] = [];
  const out = tapStream(upstream, {
    onEvent: (e) => events.push(e.data),
    onFinish: (ended) => finishes.push(ended),
  });
  const got: Uint8Array[] = [];
  for await (const ch of out) got.push(ch);
  assert.deepEqual(got, chunks);
  assert.deepEqual(events, ["1", "2"]);
  assert.deepEqual(finishes, [true]);
});

Deno.test("tapStream: a cancelled client cancels upstream and reports an abort", async () => {
  let cancelled = false;
  const upstream = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(enc.encode("data: x\n\n"));
    },
    cancel() {
      cancelled = true;
    },
  });
  const finishes: boolean[] = [];
  const out = tapStream(upstream, {
    onEvent: () => {
      throw new Error("a broken hook never breaks the stream");
    },
    onFinish: (ended) => finishes.push(ended),
  });
  const reader = out.getReader();
  assert.equal((await reader.read()).done, false);
  await reader.cancel();
  assert.ok(cancelled);
  assert.deepEqual(finishes, [false]);
});
