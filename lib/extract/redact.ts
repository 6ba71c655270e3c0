/**
 * Secret redaction before anything from an exchange is stored. A line that mentions a
 * credential keyword or contains something shaped like a key is replaced as a whole, so no
 * part of the secret survives.
 */

const KEYWORDS = [
  "sk-",
  "ek_",
  "api_key",
  "api-key",
  "apikey",
  "secret_key",
  "access_token",
  "password",
  "passwd",
  "credential",
  "private key",
];

const SHAPES: [string, RegExp][] = [
  ["token", /\b(?:ghp|gho|ghs|github_pat|xox[abpr]|glpat)[-_][A-Za-z0-9_-]{10,}/],
  ["aws key", /\bA(?:KIA|SIA)[0-9A-Z]{16}\b/],
  ["bearer token", /\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i],
  ["jwt", /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./],
  ["long secret", /\b[A-Fa-f0-9]{40,}\b|\b[A-Za-z0-9+/_-]{48,}={0,2}/],
];

/**
 * Replace every line that may carry a secret with `[REDACTED: contains X]`.
 *
 * @example
 * ```ts
 * redactSensitive("deploy on friday\nkey is sk-abc123"); // "deploy on friday\n[REDACTED: contains sk-]"
 * ```
 */
export function redactSensitive(text: string): string {
  return text.split("\n").map((line) => {
    const lower = line.toLowerCase();
    const kw = KEYWORDS.find((k) => lower.includes(k));
    if (kw) return `[REDACTED: contains ${kw}]`;
    const shape = SHAPES.find(([, re]) => re.test(line));
    return shape ? `[REDACTED: contains ${shape[0]}]` : line;
  }).join("\n");
}

/** Whether `text` still holds a redaction marker (such text is never stored). */
export function isRedacted(text: string): boolean {
  return text.includes("[REDACTED");
}
