/**
 * What waggle may say about a `mongodb://` URI. The URI comes from an environment's variables and
 * usually carries a password, so messages name its hosts (`host:port`) and database, never the URI
 * itself, and any text that came from elsewhere (a driver error, a migration's error) is passed
 * through `redact` before it is shown.
 */
import { BadInputError } from '../errors.js';
import { Redactor } from '../exec/redact.js';

export interface MongoTarget {
  /** `host:port` as the URI names it (27017 when it names no port), comma-joined for a replica set. */
  hosts: string;
  /** The URI's path, or undefined when it names none. */
  database: string | undefined;
  /** The URI without password or options, for people: `mongodb://app@10.0.0.3:27017/hivenue`. */
  display: string;
  /** Replaces the password, as written and as decoded, with [REDACTED]. */
  redact(text: string): string;
}

// scheme :// [userinfo @] hosts [/path] [?options]. A replica set names several hosts
// (`a:27017,b:27017`), which WHATWG URLs refuse, so the hosts are split off first and `new URL()`
// reads the rest with a placeholder host.
const MONGO_URI = /^(mongodb(?:\+srv)?):\/\/(?:([^@/?#]*)@)?([^/?#]*)(.*)$/s;
const DEFAULT_PORT = '27017';

export function mongoTarget(uri: string): MongoTarget {
  const match = MONGO_URI.exec(uri.trim());
  // The URI is not repeated: a malformed one may still hold a password.
  if (!match)
    throw new BadInputError('not a MongoDB URI: expected mongodb://[user:password@]host[:port]/database');
  const [, scheme = 'mongodb', userinfo, rawHosts = '', rest = ''] = match;
  let url: URL;
  try {
    url = new URL(`${scheme}://${userinfo === undefined ? '' : `${userinfo}@`}placeholder${rest}`);
  } catch {
    throw new BadInputError(`the MongoDB URI for ${rawHosts || '(no host)'} is not a valid URL`);
  }
  if (!rawHosts) throw new BadInputError('the MongoDB URI names no host');
  const hosts = rawHosts
    .split(',')
    .map((host) => (scheme === 'mongodb' && !/:\d+$/.test(host) ? `${host}:${DEFAULT_PORT}` : host))
    .join(',');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  const redactor = new Redactor();
  if (url.password) redactor.add(url.password, safeDecode(url.password));
  const user = url.username ? `${url.username}@` : '';
  return {
    hosts,
    database,
    display: `${scheme}://${user}${rawHosts}${database === undefined ? '' : url.pathname}`,
    redact: (text) => redactor.redact(text),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
