/** Reading a runner's command-line flags and positional words, as its own parser would. */

/** Every value of a flag: `--flag=v`, `--flag v` and the given short forms (`-c v`). */
export function flagValues(words: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    for (const name of names) {
      if (word.startsWith(`${name}=`)) values.push(word.slice(name.length + 1));
      else if (word === name && index + 1 < words.length) values.push(words[++index] as string);
    }
  }
  return values;
}

/** Words that are not flags nor the values of `valueFlags` written apart (`--browsers X`). */
export function positionals(words: readonly string[], valueFlags: readonly string[]): string[] {
  return words.filter((word, index) => !word.startsWith('-') && !valueFlags.includes(words[index - 1] ?? ''));
}
