/** Output meant for a terminal, made into plain text for logs, the dashboard and messages. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes start with ESC
const ANSI = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/** Text as a terminal would leave it: escapes (colours, cursor moves) gone, a line overwritten by \r shown last. */
export function stripAnsi(text: string): string {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r').filter((part) => part !== '');
      return parts.at(-1) ?? '';
    })
    .join('\n');
}
