/**
 * The droplets carrying a tag make up an environment. They are read from DigitalOcean's documented
 * list (GET /v2/droplets?tag_name=..., every page of it:
 * https://docs.digitalocean.com/reference/api/digitalocean/#tag/Droplets/operation/droplets_list)
 * and turned into hosts. The token is a secret: no message quotes it, and it is sent only to the
 * API's own origin (a `next` link elsewhere is refused, redirects are not followed).
 */
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { BadInputError, FailedOperationError } from '../errors.js';
import type { Host, Role } from './inventory.js';

export const DIGITALOCEAN_API = 'https://api.digitalocean.com';

/** The `digitalocean` entry of an environment, its variables already read. */
export interface DigitalOceanInventory {
  tag: string;
  token: string;
  user: string;
  key?: string;
  network: 'public' | 'private';
  roleTagPrefix: string;
  /** Where the entry is in waggle.yml, for messages: `environments.production.hosts.digitalocean`. */
  where: string;
  /** What the token was read from (`secrets.DIGITALOCEAN_ACCESS_TOKEN`), for messages. */
  tokenFrom?: string;
}

export interface DigitalOceanOptions {
  /** Base URL of the API. */
  api?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  clock?: Clock;
}

/** The largest page the API serves. */
const PER_PAGE = 200;
/** Retries of one page after a rate limit, a 5xx or a network failure. */
const RETRIES = 4;
/** First wait after a 5xx or a network failure; doubled at each retry. */
const BACKOFF_MS = 1000;
/** Longest wait for a rate limit to reset: the hourly limit can be an hour away. */
const LONGEST_WAIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Pages followed at most: 200,000 droplets, far more than any inventory. */
const MAX_PAGES = 1000;

// Each role once, in a fixed order; `satisfies` keeps it equal to the config's roles.
const ROLES = { web: true, api: true, db: true } satisfies Record<Role, true>;
const ALL_ROLES = Object.keys(ROLES) as Role[];

const dropletSchema = z.object({
  id: z.number(),
  name: z.string(),
  tags: z
    .array(z.string())
    .nullish()
    .transform((tags) => tags ?? []),
  networks: z.object({
    v4: z
      .array(z.object({ ip_address: z.string(), type: z.string() }))
      .nullish()
      .transform((v4) => v4 ?? []),
  }),
});
const pageSchema = z.object({
  droplets: z.array(dropletSchema),
  links: z.object({ pages: z.object({ next: z.string().optional() }).nullish() }).nullish(),
  meta: z.object({ total: z.number().int().min(0) }),
});

/** A droplet as far as waggle reads it. */
export type Droplet = z.output<typeof dropletSchema>;
type Page = z.output<typeof pageSchema>;

/** The hosts of a DigitalOcean inventory, sorted by name. */
export async function digitalOceanHosts(
  inventory: DigitalOceanInventory,
  options: DigitalOceanOptions = {},
): Promise<Host[]> {
  return dropletHosts(await listDroplets(inventory, options), inventory);
}

/** Every droplet carrying the tag, across all pages, checked against the count the API gives. */
export async function listDroplets(
  inventory: Pick<DigitalOceanInventory, 'tag' | 'token' | 'where' | 'tokenFrom'>,
  options: DigitalOceanOptions = {},
): Promise<Droplet[]> {
  const token = checkedToken(inventory);
  const first = new URL(`${(options.api ?? DIGITALOCEAN_API).replace(/\/+$/, '')}/v2/droplets`);
  first.searchParams.set('tag_name', inventory.tag);
  first.searchParams.set('per_page', String(PER_PAGE));
  const droplets = new Map<number, Droplet>();
  const seen = new Set<string>();
  let total: number | undefined;
  let url: URL | undefined = first;
  while (url) {
    if (seen.has(url.href) || seen.size >= MAX_PAGES)
      throw new FailedOperationError('DigitalOcean: the pages of the droplet list lead in a circle');
    seen.add(url.href);
    const page = await getPage(url, token, inventory, options);
    total ??= page.meta.total;
    if (page.meta.total !== total) throw listChanged(inventory.tag, total, page.meta.total);
    for (const droplet of page.droplets) droplets.set(droplet.id, droplet);
    url = nextPage(page.links?.pages?.next, first);
  }
  if (droplets.size !== total) throw listChanged(inventory.tag, total ?? 0, droplets.size);
  return [...droplets.values()];
}

/** Droplets as hosts, sorted by name: the chosen network's address, roles from the role tags. */
export function dropletHosts(
  droplets: readonly Droplet[],
  inventory: Pick<DigitalOceanInventory, 'tag' | 'user' | 'key' | 'network' | 'roleTagPrefix' | 'where'>,
): Host[] {
  if (droplets.length === 0)
    throw new BadInputError(
      `${inventory.where}.tag: no droplets are tagged ${inventory.tag}; tag the environment's droplets with it, or correct the tag`,
    );
  const sorted = [...droplets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  return sorted.map((droplet, index) => {
    const previous = sorted[index - 1];
    if (previous?.name === droplet.name)
      throw new BadInputError(
        `droplets ${previous.id} and ${droplet.id} (tagged ${inventory.tag}) are both named ${droplet.name}; rename one: host names must be unique`,
      );
    const address = droplet.networks.v4.find((network) => network.type === inventory.network)?.ip_address;
    if (!address)
      throw new BadInputError(
        `droplet ${droplet.name} (id ${droplet.id}) has no ${inventory.network} IPv4 address; give it one, or choose the other network in ${inventory.where}.network`,
      );
    return {
      name: droplet.name,
      roles: dropletRoles(droplet, inventory),
      address,
      port: 22,
      user: inventory.user,
      ...(inventory.key === undefined ? {} : { key: inventory.key }),
    };
  });
}

function dropletRoles(
  droplet: Droplet,
  { tag, roleTagPrefix }: Pick<DigitalOceanInventory, 'tag' | 'roleTagPrefix'>,
): Role[] {
  const named = droplet.tags
    .filter((name) => name !== tag && name.startsWith(roleTagPrefix))
    .map((name) => name.slice(roleTagPrefix.length));
  if (named.length === 0) return [...ALL_ROLES];
  for (const role of named)
    if (!Object.hasOwn(ROLES, role))
      throw new BadInputError(
        `droplet ${droplet.name} is tagged ${roleTagPrefix}${role}, which names no role; the roles are ${ALL_ROLES.join(', ')}`,
      );
  return ALL_ROLES.filter((role) => named.includes(role));
}

function checkedToken(inventory: Pick<DigitalOceanInventory, 'token' | 'where'>): string {
  // A secret store often keeps a trailing newline; inside the token, such a character would be
  // refused by fetch in a message that quotes the header, token and all.
  const token = inventory.token.trim();
  if (token === '') throw new BadInputError(`${inventory.where}.token is empty`);
  if (/[^\x21-\x7e]/.test(token))
    throw new BadInputError(
      `${inventory.where}.token holds spaces or control characters; a DigitalOcean token is one word`,
    );
  return token;
}

/** The page a `links.pages.next` names, if any; only on the API's own origin. */
function nextPage(link: string | undefined, first: URL): URL | undefined {
  if (!link) return undefined;
  let next: URL | undefined;
  try {
    next = new URL(link);
  } catch {
    // Reported below, as a link elsewhere is.
  }
  if (!next || next.origin !== first.origin)
    throw new FailedOperationError(
      `DigitalOcean: the droplet list's next page is not on ${first.origin}; the token is only sent there`,
    );
  return next;
}

type Attempt = { page: Page } | { retry: string; waitMs?: number; cause?: unknown };

async function getPage(
  url: URL,
  token: string,
  inventory: Pick<DigitalOceanInventory, 'tag' | 'token' | 'where' | 'tokenFrom'>,
  options: DigitalOceanOptions,
): Promise<Page> {
  const clock = options.clock ?? systemClock;
  for (let retry = 0; ; retry++) {
    const attempt = await requestPage(url, token, inventory, options);
    if ('page' in attempt) return attempt.page;
    if (retry >= RETRIES)
      throw new FailedOperationError(
        `DigitalOcean: ${attempt.retry}, still after ${RETRIES + 1} attempts; try again later`,
        { cause: attempt.cause },
      );
    await clock.sleep(attempt.waitMs ?? BACKOFF_MS * 2 ** retry, options.signal);
  }
}

async function requestPage(
  url: URL,
  token: string,
  inventory: Pick<DigitalOceanInventory, 'where' | 'tokenFrom'>,
  options: DigitalOceanOptions,
): Promise<Attempt> {
  const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  let body: string;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'waggle' },
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    body = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return { retry: `no answer (${networkFailure(error)})`, cause: error };
  }
  const status = response.status;
  if (status === 200) {
    const page = parsePage(body);
    if (!page)
      throw new FailedOperationError(
        `DigitalOcean: the answer from ${url.origin} is not a droplet list; is that the DigitalOcean API?`,
      );
    return { page };
  }
  const said = redact(apiMessage(body), token);
  const scopes = 'read access to droplets (scopes droplet:read and tag:read)';
  const from = inventory.tokenFrom ? ` (${inventory.tokenFrom})` : '';
  if (status === 401)
    throw new BadInputError(
      `${inventory.where}.token: DigitalOcean refused the token${from} (401 Unauthorized${said}): it is mistyped, revoked or expired; use a token with ${scopes}`,
    );
  if (status === 403)
    throw new BadInputError(
      `${inventory.where}.token: DigitalOcean does not let the token${from} list droplets (403 Forbidden${said}); give it ${scopes}`,
    );
  if (status === 429) return rateLimited(response.headers, options.clock ?? systemClock);
  if (status >= 500 || status === 408) return { retry: `answered ${status}${said}` };
  throw new FailedOperationError(`DigitalOcean answered ${status}${said} to ${url.pathname}`);
}

/** A 429: wait until the limit resets (`ratelimit-reset`, epoch seconds), a minute at most. */
function rateLimited(headers: Headers, clock: Clock): Attempt {
  const reset = Number(headers.get('ratelimit-reset'));
  const retryAfter = Number(headers.get('retry-after'));
  const waitMs =
    headers.get('ratelimit-reset') && Number.isFinite(reset)
      ? reset * 1000 - clock.now()
      : headers.get('retry-after') && Number.isFinite(retryAfter)
        ? retryAfter * 1000
        : undefined;
  const resets = waitMs === undefined ? '' : `; it resets at ${new Date(clock.now() + waitMs).toISOString()}`;
  return {
    retry: `the API rate limit for this token is used up (429 Too Many Requests)${resets}`,
    ...(waitMs === undefined ? {} : { waitMs: Math.min(Math.max(waitMs, 0), LONGEST_WAIT_MS) }),
  };
}

function parsePage(body: string): Page | undefined {
  try {
    const parsed = pageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `: message` from an API error body (`{"id":"Unauthorized","message":"..."}`), or nothing. */
function apiMessage(body: string): string {
  try {
    const { id, message } = JSON.parse(body) as { id?: unknown; message?: unknown };
    const said = typeof message === 'string' && message !== '' ? message : id;
    return typeof said === 'string' && said !== '' ? `: ${said.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function redact(text: string, token: string): string {
  return text.split(token).join('[REDACTED]');
}

function listChanged(tag: string, before: number, after: number): FailedOperationError {
  return new FailedOperationError(
    `DigitalOcean: the droplets tagged ${tag} changed while they were listed (${before}, then ${after}); try again`,
  );
}

function networkFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `nothing within ${REQUEST_TIMEOUT_MS / 1000}s`;
  // fetch says "fetch failed"; the cause says why (ECONNREFUSED 127.0.0.1:9, ENOTFOUND host).
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}
