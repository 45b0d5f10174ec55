/**
 * How deeply a JSON text nests, found in one pass over its bytes without recursion: JSON.stringify
 * (and any walk of the parsed value) recurses, so a body of 100,000 `[` would overflow the stack.
 * Brackets inside strings are text; a backslash escapes the byte after it. Bytes are enough: in
 * UTF-8 every byte of a multi-byte character is above 0x7f, so none looks like `"`, `\`, `[` or `{`.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

export function nestsDeeperThan(json: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i] as number;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth--;
  }
  return false;
}
