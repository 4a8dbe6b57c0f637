import { describe, expect, it } from 'vitest';
import { CountryLookup, sharedCountryLookup } from './country.ts';

const lookup = CountryLookup.open();

describe('CountryLookup', () => {
  it.each([
    ['8.8.8.8', 'US', "Google's public DNS"],
    ['193.99.144.80', 'DE', 'heise.de (Heise Medien, Hanover)'],
    ['210.130.1.1', 'JP', "IIJ's DNS resolver"],
    ['200.160.2.3', 'BR', 'registro.br (NIC.br)'],
    ['2003::1', 'DE', "Deutsche Telekom's IPv6 block"],
    ['2001:12ff::1', 'BR', "NIC.br's IPv6 block"],
  ])('places %s in %s (%s)', (address, country) => {
    expect(lookup.countryOf(address)).toBe(country);
  });

  it('reads an IPv4 client on a dual-stack socket, as Node reports it', () => {
    expect(lookup.countryOf('::ffff:8.8.8.8')).toBe('US');
    expect(lookup.countryOf('::FFFF:193.99.144.80')).toBe('DE');
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.10', 'private'],
    ['::ffff:192.168.1.10', 'private, IPv4-mapped'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['::', 'unspecified'],
    ['2001:db8::1', 'documentation'],
    ['unknown', 'not an address'],
    ['999.1.1.1', 'not an address'],
    [' 8.8.8.8', 'not an address as given'],
    ['', 'empty'],
  ])('gives no country for %s (%s)', (address) => {
    expect(lookup.countryOf(address)).toBeNull();
  });

  it('gives no country when there is no address', () => {
    expect(lookup.countryOf(undefined)).toBeNull();
  });

  it('opens the shared lookup once per process', () => {
    expect(sharedCountryLookup()).toBe(sharedCountryLookup());
    expect(sharedCountryLookup().countryOf('8.8.8.8')).toBe('US');
  });
});
