/**
 * What an end-to-end suite saw when tests failed (screenshots, traces, error pages), kept as one
 * tarball beside the artifacts of the deploy. Only evidence counts: the bookkeeping a runner
 * leaves in the same folder on every run (Playwright's `.last-run.json`, which it writes whether
 * tests failed or not) is left out, so a suite that passed keeps no artifact at all.
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tar from 'tar';
import { type Artifact, hashFile, listFiles } from '../workspace/artifact.js';

export interface EvidenceInput {
  /** The suite's folder of screenshots and traces (e2e.evidence). */
  folder: string;
  /** Where the tarball goes: waggle's artifacts folder. */
  outDir: string;
  /** The deploy run the evidence belongs to. */
  runId: number;
  /** The commit the suite was run from. */
  commit: string;
}

/** The files of the folder that are evidence, sorted; none when the folder is missing. */
export function evidenceFiles(folder: string): string[] {
  let files: string[];
  try {
    if (!statSync(folder).isDirectory()) return [];
    files = listFiles(folder);
  } catch {
    return [];
  }
  // Hidden files are the runner's own state between runs, not something it saw.
  return files.filter((path) => !path.split('/').some((part) => part.startsWith('.'))).sort();
}

/** The folder's evidence as one tarball, or undefined when there is none. */
export async function packEvidence(input: EvidenceInput): Promise<Artifact | undefined> {
  const { folder, runId } = input;
  const files = evidenceFiles(folder);
  if (files.length === 0) return undefined;
  mkdirSync(input.outDir, { recursive: true });
  const file = join(input.outDir, `e2e-run${runId}.tgz`);
  await tar.create({ gzip: true, file, cwd: folder, portable: true }, files);
  return {
    package: 'e2e',
    file,
    sha256: await hashFile(file),
    size: statSync(file).size,
    manifest: {
      package: 'e2e',
      version: '0.0.0',
      kind: 'evidence',
      commit: input.commit,
      cacheKey: basename(file, '.tgz'),
      node: { version: process.version, abi: process.versions.modules },
      files: await Promise.all(
        files.map(async (path) => ({
          path,
          size: statSync(join(folder, path)).size,
          sha256: await hashFile(join(folder, path)),
        })),
      ),
    },
  };
}
