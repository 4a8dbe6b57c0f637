import { describe, expect, it } from 'vitest';
import { campaignOf } from './campaign.ts';

const NONE = { source: null, medium: null, campaign: null };

describe('campaignOf', () => {
  it("takes the UTM fields Segment's and RudderStack's SDKs parse into context.campaign", () => {
    const context = {
      campaign: { source: 'newsletter', medium: 'email', name: 'spring_sale', term: 'shoes' },
      page: { url: 'https://shop.example.com/?utm_source=ignored' },
    };
    expect(campaignOf(context)).toEqual({ source: 'newsletter', medium: 'email', campaign: 'spring_sale' });
  });

  it("reads them from the page URL when only the URL came, as from Pulse's tracker", () => {
    const url = 'https://shop.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand+terms&plan=pro';
    expect(campaignOf({ page: { url } })).toEqual({ source: 'google', medium: 'cpc', campaign: 'brand terms' });
  });

  it('fills each field the SDK left out from the URL', () => {
    const context = { campaign: { source: 'newsletter' }, page: { url: 'https://shop.example.com/?utm_medium=email' } };
    expect(campaignOf(context)).toEqual({ source: 'newsletter', medium: 'email', campaign: null });
  });

  it('reads page.search, and a URL given as a path', () => {
    expect(campaignOf({ page: { search: '?utm_source=twitter' } }).source).toBe('twitter');
    expect(campaignOf({ page: { url: '/pricing?utm_source=twitter' } }).source).toBe('twitter');
  });

  it('trims, drops empty and non-text values, and cuts long ones to 200 characters', () => {
    const context = { campaign: { source: '  newsletter ', medium: '   ', name: 42 }, page: { url: `https://a.example/?utm_campaign=${'x'.repeat(5000)}` } };
    const campaign = campaignOf(context);
    expect(campaign.source).toBe('newsletter');
    expect(campaign.medium).toBeNull();
    expect(campaign.campaign).toBe('x'.repeat(200));
  });

  it('never throws on a malformed URL or encoding, and finds nothing where there is nothing', () => {
    expect(campaignOf({ page: { url: 'http://[::1' } })).toEqual(NONE);
    expect(campaignOf({ page: { url: 'https://a.example/?utm_source=%E0%A4%A' } }).source).toBe('\uFFFD%A');
    expect(campaignOf({ page: { url: 'https://a.example/' } })).toEqual(NONE);
    expect(campaignOf({})).toEqual(NONE);
    expect(campaignOf(undefined)).toEqual(NONE);
  });
});
