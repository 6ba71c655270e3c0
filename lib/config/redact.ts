/**
 * Secrets in a configuration: which keys hold one, and a copy with each replaced by `"***"`
 * (what `config show` prints unless asked for `--show-secrets`); and the one masking of a
 * known secret (an API key) and of URL credentials in messages.
 *
 * @module
 */

/**
 * A key whose value is a secret: api keys (`[[auth.api_keys]] key` too), tokens (`vault_token`),
 * passwords, shared secrets (`jwt_secret`, `audit_hmac_secret`), proxy keys.
 */
const SECRET_KEY = /(^|_)(key|api_key|secret|password|token|proxy_key|upstream_key)$/i;

/** The mask printed in place of a secret. */
export const SECRET_MASK = "***";

/**
 * Whether a config key names a secret.
 *
 * @example
 * ```ts
 * isSecretKey("upstream_api_key"); // true
 * isSecretKey("api_key_env"); // false (names a variable, holds no secret)
 * ```
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy of `value` with every non-empty string under a secret key masked.
 *
 * @example
 * ```ts
 * redactSecrets({ proxy: { upstream_api_key: "sk-1" } }); // { proxy: { upstream_api_key: "***" } }
 * ```
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, false) as T;
}

function walk(value: unknown, secret: boolean): unknown {
  if (typeof value === "string") {
    return secret && value !== "" ? SECRET_MASK : maskUrlPassword(value);
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, secret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, secret || isSecretKey(k))]),
    );
  }
  return value;
}

/**
 * A URL's password masked (`postgres://me:***@db/memory`, e.g. `[storage] url`); any other
 * text as it is.
 *
 * @example
 * ```ts
 * maskUrlPassword("postgres://me:pw@db/memory"); // "postgres://me:***@db/memory"
 * ```
 */
export function maskUrlPassword(text: string): string {
  return text.replace(
    /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/i,
    (_, head: string) => `${head}${SECRET_MASK}@`,
  );
}

/**
 * `text` with every occurrence of `secret` replaced by {@link SECRET_MASK} (servers may echo
 * the key they were sent); unchanged when there is no secret.
 *
 * @example
 * ```ts
 * maskSecret("bad key sk-1", "sk-1"); // "bad key ***"
 * ```
 */
export function maskSecret(text: string, secret: string | null | undefined): string {
  return secret ? text.replaceAll(secret, SECRET_MASK) : text;
}

/**
 * A URL without credentials or query string, for messages; text that is no URL as it is.
 *
 * @example
 * ```ts
 * redactUrl("https://u:p@host/v1?key=k"); // "https://host/v1"
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    return url;
  }
}
