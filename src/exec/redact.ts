/** Replaces secret values with [REDACTED] in anything headed for a log, report or message. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: string[]): this {
    // Very short values would blank out ordinary words; such "secrets" protect nothing anyway.
    for (const value of values) if (value.length >= 4) this.secrets.add(value);
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }
}
