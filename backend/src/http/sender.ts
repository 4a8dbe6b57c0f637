import type { Request } from 'express';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { unstorableTextIn } from '@pulse/shared/text';
import type { SenderFacts } from '../services/event-normalizer.ts';
import { apiKeyFromHeaders } from './api-key-header.ts';

/**
 * The write key of an ingestion request outside its body: `Authorization` (Basic with the key as user name, as
 * Segment's and RudderStack's SDKs send it, or Bearer), `X-Api-Key`, else `X-Write-Key`, else `?writeKey=` (beacons
 * cannot set headers).
 */
export function writeKeyOf(req: Request): string | null {
  const fromHeaders = apiKeyFromHeaders(req.headers);
  if (fromHeaders) return fromHeaders;
  const header = req.headers['x-write-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const query = req.query.writeKey;
  return typeof query === 'string' && query ? query : null;
}

/** The `writeKey` field of a parsed body, which Segment's browser SDK puts in every event and batch. */
export function writeKeyInBody(body: unknown): string | null {
  const writeKey = (body as { writeKey?: unknown } | undefined)?.writeKey;
  return typeof writeKey === 'string' && writeKey.length > 0 && writeKey.length <= INGEST_LIMITS.maxIdLength ? writeKey : null;
}

/**
 * What the request says of its sender. The User-Agent header describes the visitor only when a browser sent
 * the request (browsers send `Origin` with every POST, beacons included); a server's own ("node", "curl") would
 * be counted as a bot.
 */
export function senderFactsOf(req: Request): SenderFacts {
  const userAgent = req.headers['user-agent'];
  return {
    clientAddress: req.ip ?? null,
    browserUserAgent: req.headers.origin !== undefined && userAgent ? userAgent : null,
    anonymousId: decodedAnonymousId(req.headers.anonymousid),
  };
}

/** RudderStack's `AnonymousId` header: the visitor's anonymous id, base64-encoded. */
function decodedAnonymousId(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > INGEST_LIMITS.maxIdLength * 2) return null;
  const id = Buffer.from(header, 'base64').toString('utf8');
  // Not base64 of text (a stray or hostile header) decodes to replacement characters: then there is no id.
  return id.length > 0 && id.length <= INGEST_LIMITS.maxIdLength && !id.includes('\ufffd') && unstorableTextIn(id) === null ? id : null;
}
