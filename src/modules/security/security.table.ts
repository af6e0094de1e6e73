/** Failed logins counted per key (an address, a login name, a trusted browser) within a window, and its lock. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}
