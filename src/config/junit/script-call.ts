/**
 * Commands that only run other npm scripts or commands: `npm run X -- args`, `npm test`,
 * `yarn X`, run-s / run-p / npm-run-all with their globs, and concurrently.
 */

/** What a command that calls scripts runs: script names, arguments for them, and plain commands. */
export interface ScriptCall {
  scripts: string[];
  /** Words after `--`, handed to the last command of the script called. */
  extra: string[];
  commands: string[];
}

/** Flags of concurrently that take the next word as their value. */
const CONCURRENTLY_VALUE_FLAGS = new Set([
  '-n',
  '--names',
  '-c',
  '--prefix-colors',
  '-p',
  '--prefix',
  '-m',
  '--max-processes',
]);

/** `npm run X -- args`, `yarn X`, `run-s a b`, `concurrently "npm:a" "jest"`: what it runs. */
export function scriptCall(words: string[], scripts: Record<string, string>): ScriptCall | undefined {
  const [tool, ...rest] = words;
  const dash = rest.indexOf('--');
  const before = dash === -1 ? rest : rest.slice(0, dash);
  const after = dash === -1 ? [] : rest.slice(dash + 1);
  const positional = before.filter((word) => !word.startsWith('-'));
  if (tool === 'npm') {
    const [verb, name] = positional;
    if (verb === 'test' || verb === 't' || verb === 'tst')
      return { scripts: ['test'], extra: after, commands: [] };
    if ((verb === 'run' || verb === 'run-script' || verb === 'rum') && name)
      return { scripts: [name], extra: after, commands: [] };
    return undefined;
  }
  if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') {
    const [first, ...others] = positional;
    const name = first === 'run' ? others[0] : first;
    if (!name || !(name in scripts)) return undefined;
    const extraStart = first === 'run' ? 2 : 1;
    return { scripts: [name], extra: [...positional.slice(extraStart), ...after], commands: [] };
  }
  if (tool === 'run-s' || tool === 'run-p' || tool === 'npm-run-all') {
    const names = positional.flatMap((pattern) => expandScriptPattern(pattern, scripts));
    return { scripts: names, extra: [], commands: [] };
  }
  if (tool === 'concurrently') {
    const commands: string[] = [];
    const names: string[] = [];
    for (let index = 0; index < rest.length; index++) {
      const word = rest[index] as string;
      if (CONCURRENTLY_VALUE_FLAGS.has(word)) index++;
      else if (word.startsWith('npm:')) names.push(...expandScriptPattern(word.slice(4), scripts));
      else if (!word.startsWith('-')) commands.push(word);
    }
    return { scripts: names, extra: [], commands };
  }
  return undefined;
}

/** npm-run-all globs: `*` stays within a `:` segment, `**` crosses them. */
function expandScriptPattern(pattern: string, scripts: Record<string, string>): string[] {
  if (!pattern.includes('*')) return [pattern];
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^:]*'),
    )
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return Object.keys(scripts).filter((name) => regex.test(name));
}
