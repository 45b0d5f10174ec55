/**
 * HTML that is safe by construction: `html` escapes every interpolated value unless it is itself
 * `SafeHtml`, which only `html` can make. Markup therefore comes only from template text written
 * in this code base; everything from the store (branch names, commit messages, log lines) is text.
 */

// Not exported: holding it is what lets `html` mint SafeHtml and nothing else.
const MINT: unique symbol = Symbol('html');

export class SafeHtml {
  readonly #text: string;

  constructor(mint: typeof MINT, text: string) {
    if (mint !== MINT) throw new Error('SafeHtml is made by the html tag only');
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

/** What a template may hold: text and numbers are escaped; null, undefined and false render nothing. */
export type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(MINT, out);
}
