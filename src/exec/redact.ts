/**
 * Replaces secret values with [REDACTED] in anything headed for a log, report or message: the
 * values as they are, and as they look inside base64 output (a test that prints its environment
 * encoded must not smuggle a secret past).
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: string[]): this {
    // Very short values would blank out ordinary words; such "secrets" protect nothing anyway.
    for (const value of values) {
      if (value.length < 4) continue;
      this.secrets.add(value);
      for (const encoded of base64Forms(value)) this.secrets.add(encoded);
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }
}

/**
 * The characters a value always turns into inside base64 text, at each of the three byte
 * offsets it can start at: the edges, which depend on neighbouring bytes, are left off.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < 8) return [];
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    return encoded.slice(start, end);
  });
}
