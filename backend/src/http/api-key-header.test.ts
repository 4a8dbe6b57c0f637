import { describe, expect, it } from 'vitest';
import { apiKeyFromHeaders } from './api-key-header.ts';

describe('apiKeyFromHeaders', () => {
  it('takes a Bearer token', () => {
    expect(apiKeyFromHeaders({ authorization: 'Bearer pk_read_abc' })).toBe('pk_read_abc');
  });

  it('takes the HTTP Basic user name, as Segment SDKs send their write key', () => {
    const basic = Buffer.from('pk_ingest_abc:').toString('base64');
    expect(apiKeyFromHeaders({ authorization: `Basic ${basic}` })).toBe('pk_ingest_abc');
  });

  it('takes X-Api-Key', () => {
    expect(apiKeyFromHeaders({ 'x-api-key': 'pk_admin_abc' })).toBe('pk_admin_abc');
  });

  it('returns null when there is no key', () => {
    expect(apiKeyFromHeaders({})).toBeNull();
    expect(apiKeyFromHeaders({ authorization: 'Bearer' })).toBeNull();
    expect(apiKeyFromHeaders({ authorization: `Basic ${Buffer.from(':secret').toString('base64')}` })).toBeNull();
  });
});
