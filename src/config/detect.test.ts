import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPackages, initialConfig } from './detect.js';
import { parseConfig } from './load.js';

const REFERENCE_APP = new URL('../../examples/hivenue', import.meta.url).pathname;

describe('detectPackages', () => {
  it('finds the reference app: services with ports, the Angular site, the library', () => {
    const packages = detectPackages(REFERENCE_APP);
    expect(packages.shared).toEqual({ path: 'back-end/shared' });
    expect(packages.billing?.service?.port).toBeGreaterThanOrEqual(4001);
    expect(packages.web).toEqual({ path: 'front-end', site: { dist: 'dist/front-end/browser' } });
    expect(Object.keys(packages).sort()).toEqual([
      'admin',
      'ai-model',
      'billing',
      'platform',
      'shared',
      'web',
    ]);
  });

  it('writes a config the schema accepts', () => {
    const root = mkdtempSync(join(tmpdir(), 'waggle-init-'));
    cpSync(join(REFERENCE_APP, 'package.json'), join(root, 'package.json'));
    const text = initialConfig(REFERENCE_APP, 'riipen');
    expect(parseConfig(text).trigger.branches).toEqual(['riipen']);
    expect(() => detectPackages(join(root, 'nowhere'))).toThrow('has no package.json');
  });
});
