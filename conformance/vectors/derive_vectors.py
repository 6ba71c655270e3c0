# Independent reference for the derived vectors: Python's json/hashlib/hmac, i.e. the way
# memoryOSS's Python reference reader hashes. Not run by CI; run by hand after changing a vector:
#   python3 conformance/vectors/derive_vectors.py conformance
# Writes vectors/passport-lexemes.json (+ .payload.txt), vectors/bundle-vectors.json,
# expected/passport-lexemes.normalized.json (what memoryOSS's reference normalizer prints: the
# received value, json.dumps(indent=2, ensure_ascii=False)) and expected/passport-lexemes.typed.json
# (what the Rust runtime's normalizer prints). The fixtures it reads are never modified.
import hashlib
import hmac
import json
import re
import sys

OUT = sys.argv[1]

def dump_compact(o, sort=False):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False, sort_keys=sort)

def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()

content_a = "Café rule: deploy via /v1/proxy\tonly after sign-off \u001f 😀"
content_b = "Second memory with an integral float confidence."
passport = {
  "bundle_version": "memoryoss.passport.v1alpha1",
  "passport_id": "55555555-5555-7555-8555-555555555555",
  "runtime_contract": {
    "contract_id": "memoryoss.runtime.v1alpha1",
    "version": "2026-03-13",
    "document_route": "/v1/runtime/contract",
    "stable_semantics": ["namespace_scope", "provenance", "supersede", "merge", "portable_export"],
    "experimental_layers_excluded": ["retrieval_confidence_gate"],
    "x_future_hint": {"2": "second", "1": "first"},
  },
  "scope": "all",
  "namespace": "lexemes",
  "exported_at": "2026-03-13T00:00:00.120000Z",
  "provenance": {"exported_from_namespace": "lexemes", "source_key_ids": ["key_a", "key_b"]},
  "integrity": {"algorithm": "sha256", "payload_sha256": "", "signed": False},
  "memories": [
    {
      "id": "66666666-6666-7666-8666-666666666666",
      "content": content_a,
      "tags": ["project", "deploy"],
      "agent": None,
      "original_namespace": "lexemes",
      "memory_type": "procedural",
      "status": "active",
      "version": 7,
      "created_at": "2026-03-10T09:00:00+00:00",
      "updated_at": "2026-03-12T18:00:00.123456789Z",
      "source_key_id": "key_a",
      "content_hash": sha(content_a),
      "archived": False,
      "confidence": 1.0,
      "evidence_count": 0,
      "derived_from": ["77777777-7777-7777-8777-777777777777"],
      "contradicts_with": [],
      "review_events": [],
      "team_governance": {
        "branch": "main", "scope": "team", "review_required": True,
        "owners": ["alice"], "watchlist": [], "proposed_by": "bob",
        "proposed_at": "2026-03-11T00:00:00Z", "merged_by": None,
      },
      "x_future_score": 0.5,
      "x_future_map": {"b": [1.0, 2], "a": None},
    },
    {
      "id": "88888888-8888-7888-8888-888888888888",
      "content": content_b,
      "tags": [],
      "memory_type": "semantic",
      "status": "candidate",
      "version": 1,
      "created_at": "2026-03-11T10:00:00Z",
      "updated_at": "2026-03-11T10:00:00Z",
      "archived": True,
      "confidence": 0.25,
      "evidence_count": 3,
      "review_events": [{"at": "2026-03-12T00:00:00Z", "actor": "op", "action": "reject",
                         "via": "review_queue", "queue_kind": "rejected"}],
    },
  ],
  "x_producer": "not covered by the hash (top-level additive field)",
}
keys = ["bundle_version", "passport_id", "runtime_contract", "scope", "namespace", "exported_at", "provenance", "memories"]
payload = dump_compact({k: passport[k] for k in keys})
passport["integrity"]["payload_sha256"] = sha(payload)
text = json.dumps(passport, indent=2, ensure_ascii=False) + "\n"
# Put source escapes in, so the reader must decode them: \u00e9 for é, \/ for /, \ud83d\ude00.
text = text.replace("Café rule: deploy via /v1/proxy", "Caf\\u00e9 rule: deploy via \\/v1\\/proxy")
text = text.replace("😀", "\\ud83d\\ude00")
assert json.loads(text) == passport
open(f"{OUT}/vectors/passport-lexemes.json", "w", encoding="utf-8").write(text)
open(f"{OUT}/vectors/passport-lexemes.payload.txt", "w", encoding="utf-8").write(payload)

# Rust typed view (what `conformance normalize` prints): struct order, unknown dropped, `?` omitted.
ENTRY = ["id","content","tags","agent","session","original_namespace","memory_type","status","version","created_at","updated_at","source_key_id","content_hash","archived","confidence","evidence_count","last_verified_at","superseded_by","derived_from","contradicts_with","review_events","team_governance"]
OPT = {"agent","session","original_namespace","source_key_id","content_hash","confidence","last_verified_at","superseded_by","derived_from","contradicts_with","review_events","team_governance"}
REV = ["at","actor","action","via","queue_kind","superseded_by"]
GOV = ["branch","scope","review_required","owners","watchlist","proposed_by","proposed_at","merged_by","merged_at"]
def pick(obj, order, opt):
    out = {}
    for k in order:
        v = obj.get(k)
        if k in opt and (v is None or v == []):
            continue
        out[k] = v
    return out
def chrono(t):
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|\+00:00)$", t)
    assert m, t  # the vector only uses UTC offsets
    nanos = int((m.group(3) or "")[:9].ljust(9, "0"))
    f9 = str(nanos).rjust(9, "0")
    frac = "" if nanos == 0 else "." + (f9[:3] if nanos % 1000000 == 0 else f9[:6] if nanos % 1000 == 0 else f9)
    return f"{m.group(1)}T{m.group(2)}{frac}Z"
TS = {"at","created_at","updated_at","exported_at","proposed_at","merged_at","last_verified_at"}
def fix_ts(o):
    if isinstance(o, dict): return {k: (chrono(v) if k in TS and isinstance(v, str) else fix_ts(v)) for k, v in o.items()}
    if isinstance(o, list): return [fix_ts(x) for x in o]
    return o
def entry(e):
    o = pick(e, ENTRY, OPT)
    if "review_events" in o: o["review_events"] = [pick(r, REV, {"queue_kind","superseded_by"}) for r in o["review_events"]]
    if "team_governance" in o: o["team_governance"] = pick(o["team_governance"], GOV, {"merged_by","merged_at"})
    if "confidence" in o: o["confidence"] = float(o["confidence"])
    return o
typed = {
  "bundle_version": passport["bundle_version"], "passport_id": passport["passport_id"],
  "runtime_contract": pick(passport["runtime_contract"], ["contract_id","version","document_route","stable_semantics","experimental_layers_excluded"], set()),
  "scope": passport["scope"], "namespace": passport["namespace"], "exported_at": passport["exported_at"],
  "provenance": passport["provenance"], "integrity": passport["integrity"],
  "memories": [entry(m) for m in passport["memories"]],
}
typed = fix_ts(typed)
open(f"{OUT}/expected/passport-lexemes.typed.json", "w", encoding="utf-8").write(json.dumps(typed, indent=2, ensure_ascii=False) + "\n")
# Reference view (the Python/TS reference normalizers): the received value, additive fields kept.
open(f"{OUT}/expected/passport-lexemes.normalized.json", "w", encoding="utf-8").write(json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n")

# Bundle envelope around the published passport fixture, then HMAC-signed.
fixture = json.load(open(f"{OUT}/fixtures/passport-bundle.json", encoding="utf-8"))
pid = fixture["passport_id"]
env = {
  "bundle_version": "memoryoss.bundle.v1alpha1", "bundle_id": pid, "kind": "passport",
  "namespace": "demo", "scope": "project", "runtime_contract_id": "memoryoss.runtime.v1alpha1",
  "exported_at": fixture["exported_at"],
  "reference": {"uri": f"memoryoss://bundle/{pid}?kind=passport&namespace=demo&scope=project",
                "attachment_name": f"memoryoss-passport-demo-project-{pid}.membundle.json"},
  "integrity": {"algorithm": "sha256", "payload_sha256": ""},
  "signature": {"scheme": "unsigned", "signable": False},
  "payload": fixture,
}
def env_hash(e):
    s = e["signature"]
    obj = {k: e.get(k) for k in ["bundle_version","bundle_id","kind","namespace","scope","runtime_contract_id","exported_at"]}
    obj["reference"] = {"uri": e["reference"]["uri"], "attachment_name": e["reference"]["attachment_name"]}
    obj["signature"] = {k: s.get(k) for k in ["scheme","signer","signable","identity_kind","signed_at"]}
    obj["payload"] = e["payload"]
    return sha(dump_compact(obj, sort=True))
unsigned_hash = env_hash(env)
secret = "conformance-test-secret-0123456789abcdef"
signed_at = "2026-03-13T09:30:00.120Z"
signed_sig = {"scheme": "memoryoss.hmac-sha256.v1", "signer": "device:local-runtime", "signable": True,
              "identity_kind": "device", "signed_at": signed_at, "value": None,
              "chain": [{"identity": "device:local-runtime", "kind": "device", "action": "sign", "at": signed_at}]}
env2 = dict(env); env2["signature"] = signed_sig
subject = env_hash(env2)
message = f"device:local-runtime\ndevice\n2026-03-13T09:30:00.120+00:00\n{subject}"
value = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
hist = json.load(open(f"{OUT}/fixtures/history-bundle.json", encoding="utf-8"))
hid = hist["history_id"]
henv = {
  "bundle_version": "memoryoss.bundle.v1alpha1", "bundle_id": hid, "kind": "history",
  "namespace": "demo", "runtime_contract_id": "memoryoss.runtime.v1alpha1",
  "exported_at": hist["exported_at"],
  "reference": {"uri": f"memoryoss://bundle/{hid}?kind=history&namespace=demo",
                "attachment_name": f"memoryoss-history-demo-{hid}.membundle.json"},
  "integrity": {"algorithm": "sha256", "payload_sha256": ""},
  "signature": {"scheme": "unsigned", "signable": False},
  "payload": hist,
}
vectors = {
  "about": "Derived with Python's json/hashlib/hmac from conformance/fixtures/*.json; see conformance/README.md.",
  "envelope_unsigned_sha256": unsigned_hash,
  "history_envelope_unsigned_sha256": env_hash(henv),
  "hmac": {"secret": secret, "identity": "device:local-runtime", "identity_kind": "device",
           "signed_at": signed_at, "message": message, "subject": subject, "value": value},
}
open(f"{OUT}/vectors/bundle-vectors.json", "w", encoding="utf-8").write(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n")
print(unsigned_hash, subject, value)
