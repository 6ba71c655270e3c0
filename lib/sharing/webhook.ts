/**
 * Sharing webhooks: after a store into a shared namespace its webhook gets
 * `POST {event:"memory_stored", shared_namespace, memory_id, timestamp}` (memoryOSS's body).
 * Targets on loopback, private, link-local, CGNAT, multicast or unspecified addresses are
 * refused (the server would otherwise be a probe into its own network) unless
 * `allowPrivate`; the check runs when the share is created and again, with a fresh DNS
 * answer, before every delivery. Redirects are not followed.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";

function v4Private(ip: string): boolean {
  const p = ip.split(".").map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return true;
  const [a, b] = p;
  return a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19));
}

/**
 * Whether `ip` (IPv4 or IPv6 text) is not a public unicast address.
 *
 * @example
 * ```ts
 * isPrivateAddress("10.1.2.3"); // true
 * isPrivateAddress("93.184.216.34"); // false
 * ```
 */
export function isPrivateAddress(ip: string): boolean {
  const a = ip.replace(/^\[|\]$/g, "").toLowerCase();
  if (!a.includes(":")) return v4Private(a);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return v4Private(mapped[1]);
  if (a === "::" || a === "::1") return true;
  const first = parseInt(a.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

const refuse = (host: string, why: string) =>
  new MemoryossError(
    "INVALID_INPUT",
    `webhook_url: ${host} ${why}; private and loopback targets need [sharing] allow_private_webhooks`,
    ["webhook_url"],
  );

/**
 * Checks a webhook URL: http(s), and (unless `allowPrivate`) a host whose every address is
 * public. INVALID_INPUT says which host and why.
 *
 * @example
 * ```ts
 * await checkWebhookUrl("http://127.0.0.1:9/x", false); // throws
 * ```
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MemoryossError("INVALID_INPUT", "webhook_url: not a URL", ["webhook_url"]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MemoryossError("INVALID_INPUT", "webhook_url: must be http or https", [
      "webhook_url",
    ]);
  }
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) throw refuse(host, "is loopback");
  const literal = /^[\d.]+$/.test(host) || host.includes(":");
  const addresses = literal ? [host] : await resolve(host);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw refuse(host, literal ? "is a private address" : `resolves to ${bad}`);
  return url;
}

async function resolve(host: string): Promise<string[]> {
  const out: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    try {
      out.push(...await Deno.resolveDns(host, type));
    } catch { /* no record of this type */ }
  }
  if (out.length === 0) throw refuse(host, "does not resolve");
  return out;
}

/**
 * Delivers one `memory_stored` event (5 s timeout, no redirects). Never throws: failures are
 * returned for the log.
 *
 * @example
 * ```ts
 * await deliverWebhook(share.webhook_url, { shared_namespace: "team", memory_id }, false, now);
 * ```
 */
export async function deliverWebhook(
  url: string,
  event: { shared_namespace: string; memory_id: string },
  allowPrivate: boolean,
  now: Date,
): Promise<{ ok: boolean; status?: number; error?: string }> {
  try {
    await checkWebhookUrl(url, allowPrivate);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: "memory_stored", ...event, timestamp: now.toISOString() }),
      redirect: "manual",
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    return { ok: res.ok, status: res.status };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
