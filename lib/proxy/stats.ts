/** Proxy counters, shown by `GET /proxy/v1/debug/stats`. */
export interface ProxyStats {
  requests: number;
  injected: number;
  fail_open: number;
  upstream_errors: number;
  aborted_streams: number;
  /** Calls stopped by the policy firewall (403/428). */
  policy_stopped: number;
}

/** Fresh zeroed counters. */
export function newProxyStats(): ProxyStats {
  return {
    requests: 0,
    injected: 0,
    fail_open: 0,
    upstream_errors: 0,
    aborted_streams: 0,
    policy_stopped: 0,
  };
}
