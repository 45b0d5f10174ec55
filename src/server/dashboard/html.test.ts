import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('html', () => {
  it('escapes interpolated text, in element content and in quoted attributes', () => {
    const message = `<img src=x onerror=alert(1)> "quoted" & 'single'`;
    expect(String(html`<p title="${message}">${message}</p>`)).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;">' +
        '&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;</p>',
    );
  });

  it('keeps what html itself made, so views compose without double escaping', () => {
    const cell = html`<td>${'a < b'}</td>`;
    expect(String(html`<tr>${cell}</tr>`)).toBe('<tr><td>a &lt; b</td></tr>');
  });

  it('joins lists and renders nothing for null, undefined and false', () => {
    const rows = ['<x>', 'y'].map((item) => html`<li>${item}</li>`);
    expect(String(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`)).toBe(
      '<ul><li>&lt;x&gt;</li><li>y</li></ul>0',
    );
  });

  it('cannot be forged: SafeHtml comes from the html tag only', () => {
    const Forged = SafeHtml as unknown as new (mint: symbol, text: string) => SafeHtml;
    expect(() => new Forged(Symbol('html'), '<script>')).toThrow(/html tag only/);
    expect(escapeHtml('&&')).toBe('&amp;&amp;');
  });
});
