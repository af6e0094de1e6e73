// Suites that need outside programs (PostgreSQL, Chromium, LibreOffice, ...) skip loudly, or fail when CI requires them.

/** The suites listed in RUCHE_REQUIRE_SUITES (comma-separated), which must run rather than skip. */
export function requiredSuites(): Set<string> {
  const list = process.env.RUCHE_REQUIRE_SUITES ?? '';
  return new Set(list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/** Reports a suite that cannot run: throws when it is required, else warns so the caller can skip it visibly. */
export function unavailable(suite: string, reason: string): void {
  const message = `${suite} tests cannot run: ${reason}`;
  if (requiredSuites().has(suite.toLowerCase())) {
    throw new Error(`${message} (required by RUCHE_REQUIRE_SUITES)`);
  }
  console.warn(`\n*** SKIPPED: ${message} (set RUCHE_REQUIRE_SUITES=${suite} to make this an error) ***\n`);
}
