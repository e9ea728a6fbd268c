import type { Keyring } from "../src/backups.ts";

/** The keys of the crash test and its child process (small scrypt cost: the test runs many backups). */
export const CRASH_KEYS: Keyring = {
  passphrase: "crash test passphrase",
  scrypt: { N: 2 ** 12, r: 8, p: 1 },
};
