/**
 * All environment access goes through here, read when called and never frozen at import, so tests
 * can pass their own environment.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return process.env;
}

/** True for the spellings Bitbucket users write in YAML: true/false, yes/no, 1/0 (any case). */
export function parseBooleanWord(value: string): boolean | undefined {
  const word = value.trim().toLowerCase();
  if (["true", "yes", "1", "on"].includes(word)) return true;
  if (["false", "no", "0", "off", ""].includes(word)) return false;
  return undefined;
}

export function envFlag(env: Env, name: string): boolean {
  const value = env[name];
  return value !== undefined && parseBooleanWord(value) === true;
}
