/**
 * Fake LLM providers on 127.0.0.1 that speak the real wire formats, written from the vendors'
 * API references: OpenAI chat completions (one JSON body, or `chat.completion.chunk` events
 * ending with `data: [DONE]`, with OpenRouter's `: OPENROUTER PROCESSING` comments) and
 * Anthropic Messages (one `message` body, or the `message_start` … `message_stop` events).
 * Streams are cut into 7-byte pieces so events arrive split anywhere.
 */

/** What one request looked like. */
export interface Seen {
  path: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** How the fake answers: the assistant text, or an HTTP error, or a broken stream. */
export interface Script {
  text?: string;
  status?: number;
  /** Anthropic: an `error` event after the first delta; OpenAI: an `error` chunk. */
  midStreamError?: boolean;
}

const enc = new TextEncoder();

function chunked(text: string): Response {
  const bytes = enc.encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
      c.close();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 5) out.push(text.slice(i, i + 5));
  return out;
}

function openaiAnswer(body: Record<string, unknown>, s: Script): Response {
  const text = s.text ?? "";
  const base = { id: "chatcmpl-1", created: 1_700_000_000, model: body.model };
  if (!body.stream) {
    return Response.json({
      ...base,
      object: "chat.completion",
      choices: [{
        index: 0,
        message: { role: "assistant", content: text },
        finish_reason: "stop",
      }],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    });
  }
  const chunk = (delta: unknown, finish: string | null) =>
    `data: ${
      JSON.stringify({
        ...base,
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta, finish_reason: finish }],
      })
    }\n\n`;
  let sse = ": OPENROUTER PROCESSING\n\n" + chunk({ role: "assistant", content: "" }, null);
  for (const p of pieces(text)) sse += chunk({ content: p }, null);
  if (s.midStreamError) {
    sse += `data: ${
      JSON.stringify({
        ...base,
        error: { code: 502, message: "upstream provider went away" },
        choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
      })
    }\n\n`;
  }
  sse += chunk({}, "stop") + "data: [DONE]\n\n";
  return chunked(sse);
}

function anthropicAnswer(body: Record<string, unknown>, s: Script): Response {
  const text = s.text ?? "";
  const message = {
    id: "msg_01",
    type: "message",
    role: "assistant",
    model: body.model,
    stop_reason: null,
    stop_sequence: null,
  };
  if (!body.stream) {
    return Response.json({
      ...message,
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage: { input_tokens: 20, output_tokens: 10 },
    });
  }
  const ev = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  let sse = ev("message_start", {
    type: "message_start",
    message: { ...message, content: [], usage: { input_tokens: 20, output_tokens: 1 } },
  });
  sse += ev("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  });
  sse += ev("ping", { type: "ping" });
  for (const [i, p] of pieces(text).entries()) {
    sse += ev("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: p },
    });
    if (i === 0 && s.midStreamError) {
      sse += ev("error", {
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      });
    }
  }
  sse += ev("content_block_stop", { type: "content_block_stop", index: 0 });
  sse += ev("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: 15 },
  });
  sse += ev("message_stop", { type: "message_stop" });
  return chunked(sse);
}

/**
 * A fake provider. `answer(seen)` picks the script per request (e.g. by prompt).
 *
 * @example
 * ```ts
 * await using llm = fakeProvider("openai", () => ({ text: '{"ok":true}' }));
 * ```
 */
export function fakeProvider(
  wire: "openai" | "anthropic",
  answer: (seen: Seen) => Script,
) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    const s: Seen = { path: new URL(req.url).pathname, headers: req.headers, body };
    seen.push(s);
    const script = answer(s);
    if (script.status) {
      return wire === "anthropic"
        ? Response.json(
          { type: "error", error: { type: "api_error", message: "Internal server error" } },
          { status: script.status },
        )
        : Response.json(
          { error: { message: "The server had an error", type: "server_error" } },
          { status: script.status },
        );
    }
    return wire === "anthropic" ? anthropicAnswer(body, script) : openaiAnswer(body, script);
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    origin,
    seen,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
