/**
 * GitHub commit status: POST {apiUrl}/repos/{owner}/{repo}/statuses/{sha}, the REST endpoint
 * behind the check mark next to a commit. One `context` per project (`waggle/<project>`), so each
 * event of a run updates the same line on the commit rather than adding one; a deploy has a line
 * of its own per environment (`waggle/<project>/staging`).
 */
import { type Channel, DeliveryError, required } from './channel.js';
import { truncate } from './facts.js';
import type { Notification } from './notification.js';
import { postJson } from './post-json.js';

/** GitHub refuses a longer description. */
const DESCRIPTION_CHARS = 140;

export const githubStatus: Channel = {
  id: 'github',
  async send(notification, _contact, context) {
    const github = required(context.config.github, 'github (repository and token for commit statuses)');
    const token = context.secret(required(github.token, 'github.token'));
    const apiUrl = context.setting(github.apiUrl).replace(/\/+$/, '');
    if (!/^[0-9a-f]{7,64}$/i.test(notification.sha))
      throw new DeliveryError(`GitHub: "${notification.sha}" is not a commit SHA`, { permanent: true });
    const url = `${apiUrl}/repos/${github.repository}/statuses/${notification.sha}`;
    return postJson(url, JSON.stringify(commitStatus(notification)), {
      service: 'GitHub',
      timeoutMs: context.timeoutMs,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
      },
    });
  },
};

export function commitStatus(n: Notification): {
  state: Notification['state'];
  target_url?: string;
  description: string;
  context: string;
} {
  return {
    state: n.state,
    ...(n.url ? { target_url: n.url } : {}),
    // The title leads with "[project]", which the context already says.
    description: truncate(n.title.replace(/^\[[^\]]*\]\s*/, ''), DESCRIPTION_CHARS),
    context: n.environment ? `waggle/${n.project}/${n.environment}` : `waggle/${n.project}`,
  };
}
