/**
 * The part of GitHub's REST API waggle speaks, on 127.0.0.1: commit statuses
 * (POST /repos/{owner}/{repo}/statuses/{sha}) and branch heads (GET /repos/{owner}/{repo}/branches/{branch}),
 * answering as GitHub documents, bad credentials included.
 */
import { type Answer, type Received, Receiver } from './receivers.js';

const json = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });

export function startFakeGitHub(options: {
  token: string;
  heads?: () => Record<string, string>;
}): Promise<Receiver> {
  let receiver: Receiver | undefined;
  let statuses = 0;
  const route = (request: Received): Answer => {
    if (request.headers.authorization !== `Bearer ${options.token}`)
      return json(401, { message: 'Bad credentials', status: '401' });
    const status = /^\/repos\/([\w.-]+)\/([\w.-]+)\/statuses\/([0-9a-f]{40})$/.exec(request.path);
    if (status && request.method === 'POST') {
      const body = JSON.parse(request.body) as Record<string, string>;
      if (!['error', 'failure', 'pending', 'success'].includes(body.state ?? ''))
        return json(422, { message: 'Validation Failed', status: '422' });
      const now = new Date().toISOString();
      return json(201, {
        url: `${receiver?.url}${request.path}`,
        id: ++statuses,
        node_id: 'SC_kwDOA',
        state: body.state,
        description: body.description ?? null,
        target_url: body.target_url ?? null,
        context: body.context ?? 'default',
        created_at: now,
        updated_at: now,
        creator: { login: 'waggle-bot', id: 1, type: 'Bot' },
      });
    }
    const branch = /^\/repos\/([\w.-]+)\/([\w.-]+)\/branches\/([^/]+)$/.exec(request.path);
    if (branch && request.method === 'GET') {
      const name = decodeURIComponent(branch[3] as string);
      const sha = options.heads?.()[name];
      if (!sha) return json(404, { message: 'Branch not found', status: '404' });
      return json(200, {
        name,
        commit: { sha, url: `${receiver?.url}/repos/${branch[1]}/${branch[2]}/commits/${sha}` },
        protected: false,
      });
    }
    return json(404, { message: 'Not Found', status: '404' });
  };
  return Receiver.start(route).then((started) => {
    receiver = started;
    return started;
  });
}
