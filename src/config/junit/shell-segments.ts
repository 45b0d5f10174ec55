/**
 * Splitting a package.json script into the commands it runs, and a command into the variables it
 * sets and its words, so the runners in it can be found without starting a shell.
 */

/**
 * A shell command line split into commands (at &&, ||, ;, | and &) of words, with quotes
 * grouping and redirections dropped. Good enough for package.json scripts; nothing is expanded.
 */
export function shellSegments(line: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  let dropNext = false;
  const endWord = () => {
    if (inWord && !dropNext) words.push(word);
    else if (inWord) dropNext = false;
    word = '';
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    if (words.length > 0) segments.push(words);
    words = [];
  };
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < line.length) word += line[++index];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < line.length) {
      word += line[++index];
      inWord = true;
    } else if (char === '>' || char === '<') {
      if (/^\d*$/.test(word)) inWord = false;
      endWord();
      if (line[index + 1] === '>') index++;
      if (line[index + 1] === '&') {
        index++;
        while (/\d/.test(line[index + 1] ?? '')) index++;
      } else dropNext = true;
    } else if (char === '&' || char === '|' || char === ';') {
      endSegment();
      if (line[index + 1] === char) index++;
    } else if (/\s/.test(char)) endWord();
    else {
      word += char;
      inWord = true;
    }
  }
  endSegment();
  return segments;
}

/**
 * Moves the leading `NAME=value` words of a command into `env` and returns the words after them:
 * `NODE_ENV=test jest` sets NODE_ENV and leaves ['jest'].
 */
export function takeAssignments(words: string[], env: Record<string, string>): string[] {
  let index = 0;
  for (; index < words.length; index++) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[index] ?? '');
    if (!match) break;
    env[match[1] as string] = match[2] as string;
  }
  return words.slice(index);
}
