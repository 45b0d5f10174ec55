/** Processes a test starts through waggle, and whether they are gone. */
import { readFileSync } from 'node:fs';

/**
 * waggle.yml for one package whose suite starts a child that would run for a minute and waits on
 * it, writing the child's pid to `pidFile`: what a cancel must kill, grandchildren included.
 */
export function hangingSuiteConfig(pidFile: string): string {
  const suite = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }).pid)); setTimeout(() => {}, 60000)`;
  return `name: fx\npackages:\n  lib: { path: packages/lib, test: { run: [node, -e, ${JSON.stringify(suite)}], junit: none } }\n`;
}

/** Alive and not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
