/** The README's waggle.yml reference must be what the schema says today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceMarkdown } from '../src/config/reference-doc.js';

describe('README', () => {
  it('carries the current waggle.yml reference (run `npm run docs` after changing the schema)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(referenceMarkdown());
  });

  it('gives the same test command as .ci/run', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(readme).toContain('bash scripts/setup.sh && npm test');
    expect(ci).toContain('bash scripts/setup.sh && npm test');
  });
});
