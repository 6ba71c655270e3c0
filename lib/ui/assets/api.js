// The JSON API client. The key lives in sessionStorage (this tab only) and is sent as an
// Authorization header: no cookies, so there is nothing for a cross-site request to ride on.
const KEY = "memoryoss.key";

/** An error answer of the API: `{error: {code, message, path}}`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function getKey() {
  return sessionStorage.getItem(KEY);
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}

/** Call the API; resolves to parsed JSON (or text for non-JSON answers), throws ApiError. */
export async function api(method, path, body) {
  return (await apiRaw(method, path, body)).value;
}

/**
 * Call the API; resolves to `{text, value}`: the body exactly as sent (byte-exact artifacts
 * keep their hashes) and its parse. A string `body` is sent as is.
 */
export async function apiRaw(method, path, body) {
  const key = getKey();
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json && json.error;
    throw new ApiError(
      res.status,
      (e && e.code) || `HTTP_${res.status}`,
      (e && e.message) || `${method} ${path} failed (${res.status})`,
    );
  }
  return { text, value: json === null ? text : json };
}

/** True when an error means "this server has no such endpoint (yet)". */
export function isMissingRoute(e) {
  return e instanceof ApiError && (e.status === 404 || e.status === 405) &&
    e.message === "no such route";
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body ?? {});

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    u.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : "";
}
