import { describe, expect, it } from 'vitest';
import { referrerKind, referrerSource } from './referrer-source.ts';

const PAGE = 'https://shop.example.com/pricing?plan=pro';

describe('referrerSource', () => {
  it.each([
    ['https://www.google.com/', 'Google'],
    ['https://www.google.co.uk/', 'Google'],
    ['https://www.google.com.br/search?q=pulse', 'Google'],
    ['https://google.de/', 'Google'],
    ['https://www.bing.com/search?q=pulse', 'Bing'],
    ['https://duckduckgo.com/', 'DuckDuckGo'],
    ['https://search.yahoo.com/', 'Yahoo'],
    ['https://uk.search.yahoo.com/', 'Yahoo'],
    ['https://yandex.ru/search/?text=pulse', 'Yandex'],
    ['https://www.baidu.com/link?url=abc', 'Baidu'],
    ['https://www.ecosia.org/', 'Ecosia'],
    ['https://search.brave.com/', 'Brave Search'],
    ['https://www.facebook.com/', 'Facebook'],
    ['https://m.facebook.com/', 'Facebook'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com', 'Facebook'],
    ['https://lm.facebook.com/', 'Facebook'],
    ['https://l.instagram.com/', 'Instagram'],
    ['https://t.co/AbCdEf123', 'Twitter'],
    ['https://twitter.com/', 'Twitter'],
    ['https://x.com/someone/status/1', 'Twitter'],
    ['https://www.linkedin.com/', 'LinkedIn'],
    ['https://lnkd.in/abc', 'LinkedIn'],
    ['https://old.reddit.com/r/selfhosted/', 'Reddit'],
    ['https://m.youtube.com/', 'YouTube'],
    ['https://www.pinterest.co.uk/', 'Pinterest'],
    ['https://www.tiktok.com/', 'TikTok'],
    ['https://news.ycombinator.com/item?id=1', 'Hacker News'],
    ['https://github.com/pulse/pulse', 'GitHub'],
  ])('names %s as %s', (referrer, source) => {
    expect(referrerSource(referrer, PAGE)).toBe(source);
  });

  it('gives any other site by its host, without "www."', () => {
    expect(referrerSource('https://www.blog.example.org/post/1', PAGE)).toBe('blog.example.org');
    expect(referrerSource('http://news.example.net:8080/a', PAGE)).toBe('news.example.net');
  });

  it("does not take a look-alike or another of the company's sites for the search engine", () => {
    expect(referrerSource('https://notgoogle.com/', PAGE)).toBe('notgoogle.com');
    expect(referrerSource('https://fox.com/', PAGE)).toBe('fox.com');
    expect(referrerSource('https://accounts.google.com/', PAGE)).toBe('accounts.google.com');
  });

  it('ignores navigation within the site, with or without "www."', () => {
    expect(referrerSource('https://shop.example.com/', PAGE)).toBeNull();
    expect(referrerSource('https://www.example.com/a', 'https://example.com/b')).toBeNull();
    expect(referrerSource('https://example.com/a', 'https://www.example.com/b')).toBeNull();
  });

  it('still names the referrer when the page URL is missing or malformed', () => {
    expect(referrerSource('https://www.google.com/', undefined)).toBe('Google');
    expect(referrerSource('https://www.google.com/', 'not a url')).toBe('Google');
  });

  it.each<[string | undefined, string]>([
    [undefined, 'no referrer'],
    ['', 'an empty one'],
    ['not a url', 'a malformed one'],
    ['android-app://com.google.android.gm/', 'an app'],
    ['javascript:alert(1)', 'a script'],
    [`https://example.org/${'a'.repeat(2048)}`, 'an oversized one'],
  ])('gives nothing for %s (%s)', (referrer) => {
    expect(referrerSource(referrer, PAGE)).toBeNull();
  });
});

describe('referrerKind', () => {
  it('classes search engines, social networks, and other sites', () => {
    expect(referrerKind('Google')).toBe('search');
    expect(referrerKind('Brave Search')).toBe('search');
    expect(referrerKind('Twitter')).toBe('social');
    expect(referrerKind('Hacker News')).toBe('social');
    expect(referrerKind('blog.example.org')).toBe('link');
  });
});
