/**
 * The HTTP of every chat provider: one POST with a timeout, failures mapped to
 * {@link LlmError} (the key blanked out), and the answer read either as one JSON body or as
 * server-sent events (parsed by `eventsource-parser`), whichever the server sent.
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { FetchFailure, fetchWithTimeout, maskSecret, redactUrl } from "../config/mod.ts";
import { type ChatSettings, LlmError } from "./types.ts";

/** One server-sent event (`event` is `message` when the server named none). */
export interface SseEvent {
  event: string;
  data: string;
}

/** What came back: a parsed JSON body, or the events of a stream. */
export type Answer =
  | { kind: "json"; body: unknown }
  | { kind: "sse"; events: AsyncIterable<SseEvent> };

/**
 * POST `body` to `url`; resolves once the status and headers are in. A non-2xx answer is
 * `LlmError("http")` with an excerpt of its body; the timeout covers reading the answer too.
 */
export async function postChat(
  s: ChatSettings,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Answer> {
  const t = await fetchWithTimeout(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }, { timeoutMs: s.timeoutMs, what: "chat endpoint", secret: s.apiKey }).catch(failed);
  const res = t.response;
  if ((res.headers.get("content-type") ?? "").includes("text/event-stream") && res.body && res.ok) {
    const events = collect(res.body);
    return {
      kind: "sse",
      events: finishing(events, t.done, (e) => failed(e instanceof LlmError ? e : t.failure(e))),
    };
  }
  const text = await t.text().catch(failed);
  if (!res.ok) {
    throw new LlmError("http", `${t.where} answered HTTP ${res.status}: ${excerpt(s, text)}`);
  }
  try {
    return { kind: "json", body: JSON.parse(text) };
  } catch {
    throw new LlmError("shape", `${t.where} answered non-JSON: ${excerpt(s, text)}`);
  }
}

/** A fetch failure as the chat clients' {@link LlmError} (same kind, same message). */
function failed(e: unknown): never {
  if (e instanceof FetchFailure) throw new LlmError(e.kind, e.message);
  throw e;
}

async function* collect(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const stream = body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const m of stream) {
    if (m.data === undefined) continue;
    yield { event: m.event || "message", data: m.data };
  }
}

async function* finishing(
  events: AsyncIterable<SseEvent>,
  done: () => void,
  failed: (e: unknown) => never,
): AsyncGenerator<SseEvent> {
  try {
    yield* events;
  } catch (e) {
    failed(e);
  } finally {
    done();
  }
}

/** `text` as JSON, or `LlmError("shape")` naming the endpoint. */
export function parseEventData(data: string, where: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new LlmError("shape", `${where} sent an event that is not JSON: ${data.slice(0, 120)}`);
  }
}

/** The first 200 characters of a body, whitespace folded, the key blanked out. */
export function excerpt(s: ChatSettings, text: string): string {
  return redact(s, text.replace(/\s+/g, " ").trim().slice(0, 200));
}

/** `text` with the settings' API key replaced by `***`. */
export function redact(s: ChatSettings, text: string): string {
  return maskSecret(text, s.apiKey);
}

export { redactUrl };

/** `{base}{path}`, tolerating a trailing slash or a base that already ends with `path`. */
export function endpointUrl(baseUrl: string, path: string): string {
  const b = baseUrl.replace(/\/+$/, "");
  return b.endsWith(path) ? b : `${b}${path}`;
}
