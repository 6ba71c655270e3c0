/**
 * A fake OpenAI-compatible chat server on 127.0.0.1 for the graph's LLM tests: reconciliation
 * questions get ADD; causal questions are answered by a script (the last reply repeats);
 * the drain's canonical-rewrite questions get no fact, so notes are kept as written.
 */

/** One scripted causal answer. */
export type Reply = { content?: string; delayMs?: number };

/** A causal reply is a function of the listed neighbours (`[i] text` lines of the prompt). */
export type Script = ((neighbours: string[]) => Reply)[];

/** Start the server; `causal` counts the causal questions, `reconcile` the others. */
export function fakeLlm(script: Script) {
  const causal: { user: string; neighbours: string[] }[] = [];
  let reconcile = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    const [system, user] = (body.messages as { content: string }[]).map((m) => m.content);
    let reply: Reply;
    if (/cause-and-effect/.test(system)) {
      const neighbours = [...user.matchAll(/^\[\d+\] (.*)$/gm)].map((m) => m[1]);
      causal.push({ user, neighbours });
      reply = script[Math.min(causal.length - 1, script.length - 1)](neighbours);
    } else if (/canonical form/.test(system)) {
      // The drain's canonical rewrite (not counted): no usable fact keeps the note as written.
      reply = { content: '{"facts": []}' };
    } else {
      reconcile++;
      reply = { content: JSON.stringify({ decision: "ADD", reason: "a new fact" }) };
    }
    if (reply.delayMs) await new Promise((ok) => setTimeout(ok, reply.delayMs));
    return Response.json({
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: reply.content },
        finish_reason: "stop",
      }],
    });
  });
  return {
    server,
    base: `http://127.0.0.1:${server.addr.port}/v1`,
    causal,
    get reconcile() {
      return reconcile;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Chat settings for the fake server. */
export const settings = (base: string, timeoutMs = 3000) => ({
  baseUrl: base,
  model: "fake-model",
  timeoutMs,
});

/** A reply linking the neighbour whose text contains `needle`. */
export const linkTo = (
  needle: string,
  direction: "cause" | "effect" = "cause",
  confidence = 0.9,
) =>
(neighbours: string[]): Reply => ({
  content: JSON.stringify({
    links: [{ index: neighbours.findIndex((n) => n.includes(needle)), direction, confidence }],
  }),
});

/** A fixed reply. */
export const say = (content: string, delayMs = 0) => (): Reply => ({ content, delayMs });
