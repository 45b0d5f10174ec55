/** The sign-in page: paste an API token; the server turns it into a session cookie. */
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/** Why the last attempt was refused, and the command that fixes it. */
export interface LoginProblem {
  message: string;
  command?: string;
}

export function loginPage(problem?: LoginProblem): SafeHtml {
  return layout(
    { title: 'Sign in' },
    html`<h1>Sign in</h1>
<p class="muted">Paste an API token. A viewer token reads; an operator token may also rerun and cancel.</p>
${
  problem
    ? html`<div class="callout" role="alert">${problem.message}${
        problem.command ? html` <code>${problem.command}</code>` : ''
      }</div>`
    : ''
}
<form class="login" method="post" action="/login">
  <label for="token">API token</label>
  <input id="token" name="token" type="password" autocomplete="off" required placeholder="wgl_…">
  <button type="submit" class="primary">Sign in</button>
</form>`,
  );
}
