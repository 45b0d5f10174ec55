import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceFiles, packEvidence } from './e2e-evidence.js';

const scratch = mkdtempSync(join(tmpdir(), 'waggle-evidence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A suite's output folder holding these files. */
function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'artifacts-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('evidence of an end-to-end suite', () => {
  it("keeps nothing when the suite passed: Playwright's .last-run.json is not evidence", async () => {
    const passed = folder({ '.last-run.json': '{"status":"passed","failedTests":[]}' });
    expect(evidenceFiles(passed)).toEqual([]);
    expect(await packEvidence({ folder: passed, outDir: join(scratch, 'out'), runId: 1, commit: 'c0' })).toBe(
      undefined,
    );
  });

  it('keeps nothing when the folder was never made', async () => {
    const missing = join(scratch, 'no-such-folder');
    expect(
      await packEvidence({ folder: missing, outDir: join(scratch, 'out'), runId: 2, commit: 'c0' }),
    ).toBe(undefined);
  });

  it('packs the screenshots and traces of failed tests, named in its manifest with the commit', async () => {
    const failed = folder({
      '.last-run.json': '{"status":"failed"}',
      'home-chromium/test-failed-1.png': 'png bytes',
      'home-chromium/trace.zip': 'zip bytes',
      'home-chromium-retry1/.playwright-artifacts-0/x': 'scratch',
    });
    const outDir = join(scratch, 'out');
    const artifact = await packEvidence({ folder: failed, outDir, runId: 7, commit: 'c0ffee' });
    expect(artifact?.file).toBe(join(outDir, 'e2e-run7.tgz'));
    expect(artifact?.manifest).toMatchObject({ package: 'e2e', kind: 'evidence', commit: 'c0ffee' });
    expect(artifact?.manifest.files.map((f) => f.path)).toEqual([
      'home-chromium/test-failed-1.png',
      'home-chromium/trace.zip',
    ]);
    const listed: string[] = [];
    await tar.list({ file: artifact?.file as string, onReadEntry: (entry) => listed.push(entry.path) });
    expect(listed.sort()).toEqual(['home-chromium/test-failed-1.png', 'home-chromium/trace.zip']);
    expect(readFileSync(artifact?.file as string).length).toBe(artifact?.size);
  });
});
