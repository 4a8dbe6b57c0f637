import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress } from './webhook-target.ts';

const publicOnly = { allowPrivateAddresses: false };
const resolvingTo = (...addresses: string[]) => ({ allowPrivateAddresses: false, lookup: async () => addresses });

async function reasonFor(url: string, policy: Parameters<typeof checkWebhookUrl>[1] = publicOnly): Promise<string> {
  const check = await checkWebhookUrl(url, policy);
  if (check.ok) throw new Error(`${url} was accepted`);
  return check.reason;
}

describe('checkWebhookUrl', () => {
  it('accepts a public address, written out or behind a name', async () => {
    await expect(checkWebhookUrl('https://1.1.1.1/hooks/pulse?team=growth', publicOnly)).resolves.toMatchObject({ ok: true, url: { host: '1.1.1.1' } });
    await expect(checkWebhookUrl('https://[2606:4700:4700::1111]/hooks', publicOnly)).resolves.toMatchObject({ ok: true });
    await expect(
      checkWebhookUrl('https://hooks.example.com/pulse', resolvingTo('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c')),
    ).resolves.toMatchObject({
      ok: true,
      url: { href: 'https://hooks.example.com/pulse' },
    });
  });

  it('refuses private, loopback and other internal addresses, saying which kind it is', async () => {
    expect(await reasonFor('http://10.0.0.5/hook')).toBe('webhook address 10.0.0.5 is a private address; Pulse only calls public addresses');
    expect(await reasonFor('http://127.0.0.1:8080/hook')).toContain('127.0.0.1 is a loopback address');
    expect(await reasonFor('http://[::1]/hook')).toContain('::1 is a loopback address');
    expect(await reasonFor('http://192.168.1.20/hook')).toContain('a private address');
    expect(await reasonFor('http://172.16.4.2/hook')).toContain('a private address');
    expect(await reasonFor('http://[fd00::1]/hook')).toContain('a private address');
    expect(await reasonFor('http://169.254.169.254/latest/meta-data/')).toContain('a link-local address (such as a cloud metadata service)');
    expect(await reasonFor('http://[::ffff:127.0.0.1]/hook')).toContain('webhook address 127.0.0.1 is a loopback address');
    expect(await reasonFor('http://0.0.0.0:3000/hook')).toContain('an unspecified address');
    expect(await reasonFor('http://100.64.0.1/hook')).toContain('a carrier-grade NAT address');
  });

  it('refuses a name when any address it resolves to is internal', async () => {
    expect(await reasonFor('http://localhost:3000/hook', resolvingTo('127.0.0.1', '::1'))).toBe(
      'webhook host localhost resolves to 127.0.0.1, a loopback address (the Pulse server itself); Pulse only calls public addresses',
    );
    expect(await reasonFor('https://hooks.example.com/', resolvingTo('93.184.215.14', '10.1.2.3'))).toContain('resolves to 10.1.2.3, a private address');
  });

  it('refuses other schemes, credentials and names that do not resolve', async () => {
    expect(await reasonFor('ftp://files.example.com/drop')).toBe('a webhook address starts with https:// (or http://), not ftp:');
    expect(await reasonFor('https://user:pass@hooks.example.com/')).toContain('may not hold a user name or password');
    expect(await reasonFor('hooks.example.com/pulse')).toContain('is not a web address');
    const missing = { allowPrivateAddresses: false, lookup: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })) };
    expect(await reasonFor('https://hooks.exmaple.com/', missing)).toBe(
      'could not look up webhook host hooks.exmaple.com (ENOTFOUND); check the spelling, or try again if the name is new',
    );
  });

  it('lets loopback and private addresses through when the install allows them', async () => {
    const allowPrivate = { allowPrivateAddresses: true, lookup: async () => ['127.0.0.1'] };
    await expect(checkWebhookUrl('http://127.0.0.1:8080/hook', allowPrivate)).resolves.toMatchObject({ ok: true });
    await expect(checkWebhookUrl('http://localhost:8080/hook', allowPrivate)).resolves.toMatchObject({ ok: true });
    expect(await reasonFor('ftp://127.0.0.1/', allowPrivate)).toContain('not ftp:');
  });
});

describe('isPublicAddress', () => {
  it('is true only for addresses anyone on the internet could reach', () => {
    expect(isPublicAddress('1.1.1.1')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('198.18.0.1')).toBe(false); // benchmarking range, often used inside networks
    expect(isPublicAddress('64:ff9b::a00:1')).toBe(false); // 10.0.0.1 through NAT64
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('224.0.0.1')).toBe(false);
    expect(isPublicAddress('hooks.example.com')).toBe(false);
  });
});
