/**
 * The one decision about a received artifact, shared by `bundle validate`, `bundle preview`,
 * `reader open`, `passport import` and their HTTP routes: integrity first (exit 3), then the
 * signature (a signature that does not verify, or a revoked key, is always a rejection: exit 5,
 * HTTP 403), then trust (valid but untrusted is reported, and refused by an import that writes
 * unless the caller allows it).
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import type { TrustDecision } from "./trust.ts";

/** What a caller may do with an artifact. */
export type Verdict =
  /** Intact, signed with a valid signature by a trusted key. */
  | "accepted"
  /** Intact; unsigned, HMAC-signed, or validly signed by a key not trusted here. */
  | "untrusted"
  /** Fails its schema or integrity hashes. */
  | "invalid"
  /** Its signature does not verify, or its key is revoked. */
  | "rejected";

/** The decision and how each surface reports it. */
export interface Admission {
  verdict: Verdict;
  /** CLI exit code of `bundle validate`: 0, 3 (invalid) or 5 (rejected; untrusted if required). */
  exit_code: 0 | 3 | 5;
  /** One line saying why. */
  message: string;
}

/** The parts of an opened artifact the decision reads (a `ReaderDocument` has them). */
export interface Examined {
  kind: string;
  /** Parses, matches its schema and its integrity hashes. */
  ok: boolean;
  errors: { path: string; message: string }[];
  /** Null for artifacts that carry no signature line at all (runtime contract, unknown). */
  trust: TrustDecision | null;
}

/**
 * Decides about an examined artifact. With `requireTrusted`, anything short of `accepted`
 * exits 5.
 *
 * @example
 * ```ts
 * admission(await openArtifact("b.json", bytes, trust)).verdict; // "untrusted"
 * ```
 */
export function admission(doc: Examined, o: { requireTrusted?: boolean } = {}): Admission {
  if (!doc.ok) {
    const first = doc.errors[0];
    const where = first ? ` at ${first.path || "(root)"}: ${first.message}` : "";
    const what = doc.kind === "unknown" ? "artifact" : doc.kind;
    return { verdict: "invalid", exit_code: 3, message: `${what} failed verification${where}` };
  }
  const t = doc.trust;
  if (t && (t.status === "invalid_signature" || t.status === "revoked")) {
    return { verdict: "rejected", exit_code: 5, message: t.reason };
  }
  if (t?.trusted) {
    return { verdict: "accepted", exit_code: 0, message: `trusted: ${t.reason}` };
  }
  const why = t ? `${t.status}: ${t.reason}` : `a ${doc.kind} carries no signature`;
  return {
    verdict: "untrusted",
    exit_code: o.requireTrusted ? 5 : 0,
    message: `not trusted (${why})`,
  };
}

/**
 * Throws unless an import may go ahead: INTEGRITY for an invalid artifact, FORBIDDEN for a
 * rejected one (also for a dry run), FORBIDDEN for an untrusted one when the import writes and
 * `allowUntrusted` is not set; the message names `flag`, the caller's spelling of that option.
 *
 * @example
 * ```ts
 * requireAdmission(a, { dryRun: false, allowUntrusted: false, flag: "--allow-untrusted" });
 * ```
 */
export function requireAdmission(
  a: Admission,
  o: { dryRun: boolean; allowUntrusted: boolean; flag: string },
): void {
  if (a.verdict === "invalid") throw new MemoryossError("INTEGRITY", a.message);
  if (a.verdict === "rejected") throw new MemoryossError("FORBIDDEN", a.message);
  if (a.verdict === "untrusted" && !o.dryRun && !o.allowUntrusted) {
    throw new MemoryossError(
      "FORBIDDEN",
      `refusing to import: ${a.message}; pass ${o.flag} to import it anyway`,
    );
  }
}
