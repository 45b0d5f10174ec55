/** The frame of every dashboard page: head with the inline style, top bar, and the page's body. */
import { html, type SafeHtml } from './html.js';
import { LIVE_LOG_SCRIPT } from './live-log-script.js';
import { postButton, type Viewer } from './parts.js';
import { STYLE_SHEET } from './style.js';

export interface LayoutOptions {
  title: string;
  /** Absent on the sign-in page. */
  viewer?: Viewer;
  /** Reload the page after this many seconds: the runs list while something is still going. */
  refreshSeconds?: number;
  /** Include the live log script (the run page). */
  liveLog?: boolean;
}

export function layout(options: LayoutOptions, body: SafeHtml): SafeHtml {
  const { title, viewer } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
<title>${title} · waggle</title>
<style>${STYLE_SHEET}</style>
</head>
<body>
<header class="top">
  <a href="/">waggle</a>
  ${
    viewer
      ? html`<a href="/">Runs</a>
  <a href="/environments">Environments</a>
  <span class="who">${viewer.name} (${viewer.role})</span>
  ${postButton(viewer, '/logout', 'Sign out')}`
      : ''
  }
</header>
<main>
${body}
</main>
${options.liveLog ? html`<script>${LIVE_LOG_SCRIPT}</script>` : ''}
</body>
</html>
`;
}
