import { describe, expect, it } from 'vitest';
import { affectedPackages } from './affected.js';
import { topologicalOrder, withDependencies } from './graph.js';

const graph = new Map([
  ['shared', []],
  ['billing', ['shared']],
  ['platform', ['shared']],
  ['web', []],
]);
const packagePaths = new Map([
  ['shared', 'back-end/shared'],
  ['billing', 'back-end/billing'],
  ['platform', 'back-end/platform'],
  ['web', 'front-end'],
]);
const affected = (...changedFiles: string[]) =>
  [...affectedPackages({ changedFiles, packagePaths, graph, inertPaths: ['e2e'] }).packages].sort();

describe('affectedPackages', () => {
  it('a leaf change affects only its package', () => {
    expect(affected('back-end/billing/src/totals.ts')).toEqual(['billing']);
  });
  it('a library change affects its dependents', () => {
    expect(affected('back-end/shared/src/index.ts')).toEqual(['billing', 'platform', 'shared']);
  });
  it('a lockfile or root config change affects all', () => {
    expect(affected('package-lock.json')).toEqual(['billing', 'platform', 'shared', 'web']);
    expect(affectedPackages({ changedFiles: ['tsconfig.base.json'], packagePaths, graph }).everything).toBe(
      'tsconfig.base.json changed',
    );
  });
  it('docs and e2e suites affect no build', () => {
    expect(affected('README.md', 'e2e/tests/home.spec.ts')).toEqual([]);
  });
  it('a folder that only shares a prefix is not inside the package', () => {
    expect(affected('back-end/billing-old/x.ts')).toEqual(['billing', 'platform', 'shared', 'web']);
  });
});

describe('graph order', () => {
  it('puts dependencies first and finds what a package needs', () => {
    const order = topologicalOrder(graph);
    expect(order.indexOf('shared')).toBeLessThan(order.indexOf('billing'));
    expect([...withDependencies(graph, ['billing'])].sort()).toEqual(['billing', 'shared']);
  });
  it('names a cycle', () => {
    expect(() =>
      topologicalOrder(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
    ).toThrow('dependency cycle: a -> b -> a');
  });
});
