/** Pieces every page uses: a status badge and a button that posts a form with the CSRF token. */
import type { Role } from '../../store/schema.js';
import { html, type SafeHtml } from './html.js';

/** Who is looking: what the pages need to know of the signed-in caller. */
export interface Viewer {
  name: string;
  role: Role;
  /** The session's CSRF token, echoed by every form; absent for bearer-token callers. */
  csrf?: string;
}

export function statusBadge(status: string, attributes?: { id?: string; step?: string }): SafeHtml {
  return html`<span class="badge ${status}"${attributes?.id ? html` id="${attributes.id}"` : ''}${
    attributes?.step ? html` data-step-status="${attributes.step}"` : ''
  }>${status}</span>`;
}

export function postButton(
  viewer: Viewer,
  action: string,
  label: string,
  kind: 'primary' | 'danger' | 'plain' = 'plain',
): SafeHtml {
  return html`<form method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${viewer.csrf ?? ''}">
    <button type="submit" class="${kind}">${label}</button>
  </form>`;
}
