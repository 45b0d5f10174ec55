/**
 * How a service package starts in its release folder, read from its start script when that is a
 * plain node command; and, when nothing builds it, which sources a release must hold.
 */
import { join } from 'node:path';
import { shellSegments } from '../junit/shell-segments.js';
import { isFolder } from './package-folder.js';
import type { Argv, Context, DetectedPackage, YamlPath } from './types.js';

/** Where a Node service that nothing builds usually keeps the sources a release runs. */
const SOURCE_FOLDERS = [
  'src',
  'lib',
  'routes',
  'models',
  'controllers',
  'config',
  'middleware',
  'services',
  'utils',
  'views',
  'public',
];

/** How the service starts in its release folder, when the start script says so plainly. */
export function serviceStart(
  context: Context,
  folder: string,
  scripts: Record<string, string>,
  pkg: DetectedPackage,
  note: (path: YamlPath, lines: string[]) => void,
): { start?: Argv } {
  const segments = shellSegments(scripts.start ?? '');
  const words = segments.length === 1 ? (segments[0] as string[]) : [];
  if (words[0] !== 'node' || words.length < 2) {
    note(
      ['service'],
      [
        `TODO: the start script runs "${scripts.start}"; a release starts "node dist/index.js"`,
        'unless service.start says otherwise (a plain node command, no shell).',
      ],
    );
    return {};
  }
  const entry = words.slice(1).find((word) => !word.startsWith('-')) ?? '';
  if (!scripts.build && entry && !entry.startsWith('dist/')) {
    // Without a build, the sources are what a release runs: package them instead of dist.
    const top = entry.split('/')[0] as string;
    const sources = entry.includes('/')
      ? [top]
      : [entry, ...SOURCE_FOLDERS.filter((dir) => isFolder(context.root, join(folder, dir)))];
    pkg.outputs = sources;
    note(
      ['outputs'],
      ['What a release of this service holds besides node_modules: check it lists every source.'],
    );
  }
  return words.join(' ') === 'node dist/index.js' ? {} : { start: words };
}
