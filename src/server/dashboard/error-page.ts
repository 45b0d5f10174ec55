/** A refusal as a page, with where to go next, for browsers that posted a form or followed a link. */
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import type { Viewer } from './parts.js';

export interface ErrorPage {
  status: number;
  message: string;
  viewer?: Viewer;
}

const NEXT_STEP: Record<number, SafeHtml> = {
  401: html`<a href="/login">Sign in</a> with an API token.`,
  403: html`Reload the page and try again; if your role cannot do this, <a href="/login">sign in</a> with
  an operator token (<code>waggle tokens create NAME --role operator</code>).`,
  404: html`See the <a href="/">runs</a> for what exists.`,
};

export function errorPage({ status, message, viewer }: ErrorPage): SafeHtml {
  return layout(
    { title: `Error ${status}`, viewer },
    html`<h1>${status === 404 ? 'Not found' : 'Not allowed'}</h1>
<div class="callout" role="alert">${message}</div>
<p>${NEXT_STEP[status] ?? html`Go back to the <a href="/">runs</a>.`}</p>`,
  );
}
