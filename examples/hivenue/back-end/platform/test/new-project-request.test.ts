import { parseNewProjectRequest } from '../src/new-project-request';
import { toSlug } from '../src/slug';

describe('toSlug', () => {
  it('keeps letters and digits, drops accents and joins words with dashes', () => {
    expect(toSlug('  Café Ops: Q3 Forecasts! ')).toBe('cafe-ops-q3-forecasts');
  });
});

describe('parseNewProjectRequest', () => {
  it('accepts a name, trims it and derives the slug', () => {
    expect(parseNewProjectRequest({ name: ' Churn Model ', description: 'Who leaves, and why' })).toEqual({
      name: 'Churn Model',
      slug: 'churn-model',
      description: 'Who leaves, and why',
    });
  });

  it('rejects a missing, overlong or symbol-only name with a 400', () => {
    for (const body of [{}, { name: 'x'.repeat(81) }, { name: '!!!' }, { name: 42 }]) {
      expect(() => parseNewProjectRequest(body)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
