import { hash, verify } from '@node-rs/argon2';

// argon2id (enum value 2; numeric because of verbatimModuleSyntax), OWASP's second recommended profile.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against an argon2id hash; false on any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A real hash of a random string: verifying against it costs the same time as a real account.
let decoy: Promise<string> | undefined;

/** Spends the time of one verification, so unknown usernames answer as slowly as known ones. */
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  await verifyPassword(await decoy, password);
}
