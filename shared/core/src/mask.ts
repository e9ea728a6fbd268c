/**
 * Secret masking for everything a pipe prints or writes for people. A secret is also masked in the
 * encodings it commonly leaks in: URL-encoded, base64, and inside JSON strings.
 */
export class SecretMasker {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  add(secret: string | undefined): void {
    if (!secret || secret.trim().length < 3) return;
    for (const form of [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString("base64"),
      JSON.stringify(secret).slice(1, -1),
    ]) {
      this.#secrets.add(form);
      // Each line of a multi-line secret (a PEM key) is masked on its own too.
      for (const line of form.split(/\r?\n/)) if (line.trim().length >= 8) this.#secrets.add(line.trim());
    }
    const escaped = [...this.#secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    this.#pattern = new RegExp(escaped.join("|"), "g");
  }

  mask(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, "****") : text;
  }

  get size(): number {
    return this.#secrets.size;
  }
}
