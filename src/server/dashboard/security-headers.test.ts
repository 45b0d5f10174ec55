import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { html } from './html.js';
import { layout } from './layout.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('the content security policy', () => {
  it('allows exactly the inline style and script a page carries, and no other origin', () => {
    const page = String(layout({ title: 't', liveLog: true }, html`<p>x</p>`));
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src ${hashOf(style)}`);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src ${hashOf(script)}`);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
  });

  it('keeps the script free of markup insertion', () => {
    const page = String(layout({ title: 't', liveLog: true }, html``));
    expect(page).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
    expect(page).toContain('textContent = data.line');
  });
});
