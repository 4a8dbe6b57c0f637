import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface WebhookTargetPolicy {
  /** Lets webhooks reach loopback and private networks: for installs whose receivers sit beside Pulse, and for tests. */
  allowPrivateAddresses: boolean;
  /** Every address a host name resolves to; the system resolver (what node:http connects with) by default. */
  lookup?: (host: string) => Promise<string[]>;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address (the Pulse server itself)',
  private: 'a private address',
  uniqueLocal: 'a private address',
  linkLocal: 'a link-local address (such as a cloud metadata service)',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
};

/** True for an address anyone on the internet could reach; IPv4 written as IPv6 (::ffff:10.0.0.1) counts as IPv4. */
export function isPublicAddress(ip: string): boolean {
  return isIP(ip) !== 0 && ipaddr.process(ip).range() === 'unicast';
}

/** Why Pulse will not call `address`, which `host` names or resolves to; null when the address is public. */
export function addressRefusal(host: string, address: string): string | null {
  if (isPublicAddress(address)) return null;
  if (isIP(address) === 0) return `webhook host ${host} resolves to ${address}, which is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = RANGE_WORDS[parsed.range()] ?? 'a reserved or special-purpose address';
  const subject = host === address ? `webhook address ${parsed} is` : `webhook host ${host} resolves to ${parsed},`;
  return `${subject} ${range}; Pulse only calls public addresses`;
}

/** The checks that need no DNS: the scheme, no credentials, a host, and the range of an IP written in the URL. */
export function parseWebhookUrl(url: string, policy: Pick<WebhookTargetPolicy, 'allowPrivateAddresses'>): WebhookUrlCheck {
  if (!URL.canParse(url)) return refuse(`"${url}" is not a web address; give a full one, such as https://example.com/hooks/pulse`);
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return refuse(`a webhook address starts with https:// (or http://), not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    return refuse('a webhook address may not hold a user name or password; receivers check the signature headers instead (or put a token in the path)');
  }
  const host = hostOf(parsed);
  if (!host) return refuse(`webhook address ${url} names no host`);
  const refusal = isIP(host) !== 0 && !policy.allowPrivateAddresses ? addressRefusal(host, host) : null;
  return refusal ? refuse(refusal) : { ok: true, url: parsed };
}

/**
 * Whether Pulse may call `url`, for telling a tenant when they save a webhook. A host passes only when every
 * address it resolves to is public. The sender checks the addresses again when it connects, since the name
 * may resolve elsewhere by then.
 */
export async function checkWebhookUrl(url: string, policy: WebhookTargetPolicy): Promise<WebhookUrlCheck> {
  const parsed = parseWebhookUrl(url, policy);
  if (!parsed.ok) return parsed;
  const host = hostOf(parsed.url);
  if (isIP(host) !== 0) return parsed;
  let addresses: string[];
  try {
    addresses = await withinLookupTime((policy.lookup ?? lookupAll)(host), host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return refuse(`could not look up webhook host ${host} (${code}); check the spelling, or try again if the name is new`);
  }
  if (addresses.length === 0) return refuse(`webhook host ${host} has no addresses; check the spelling`);
  if (!policy.allowPrivateAddresses) {
    const refusal = addresses.map((address) => addressRefusal(host, address)).find((reason) => reason !== null);
    if (refusal) return refuse(refusal);
  }
  return parsed;
}

/** How long saving a webhook waits for its host's addresses: a name server that never answers must not hold the request. */
const LOOKUP_TIMEOUT_MS = 5_000;

function withinLookupTime(lookup: Promise<string[]>, host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer for ${host}`), { code: 'ETIMEOUT' })), LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([lookup, timeout]).finally(() => clearTimeout(timer));
}

async function lookupAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** The host as a resolver or an IP parser takes it: IPv6 without its URL brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function refuse(reason: string): WebhookUrlCheck {
  return { ok: false, reason };
}
