import { z } from 'zod';
import { ZStorableString } from './text.ts';

const API_KEY_SCOPES = ['ingest', 'read', 'admin'] as const;
export const ZApiKeyScope = z
  .enum(API_KEY_SCOPES)
  .describe('ingest: write events only (safe to ship in a browser); read: dashboards; admin: everything, including keys.');
export type TApiKeyScope = z.infer<typeof ZApiKeyScope>;

const ZKeyName = ZStorableString.trim().min(1, 'give the key a name').max(100, 'a key name has at most 100 characters');

/** A row id as PostgreSQL's integer holds it. */
const ZRowId = z.number().int().positive().max(2_147_483_647);

export const ZSignInRequest = z.object({
  apiKey: z.string().trim().min(1, 'paste an API key').max(200, 'that is longer than any API key'),
});

/** A tenant this browser is signed in to; `keyId` picks it in `auth.switchTenant`. */
export const ZSessionTenant = z.object({
  keyId: z.number().int(),
  tenantName: z.string(),
  scope: ZApiKeyScope,
  current: z.boolean().describe('The tenant the dashboard shows now.'),
});
export const ZSessionTenants = z.array(ZSessionTenant);
export type TSessionTenant = z.infer<typeof ZSessionTenant>;

export const ZSwitchTenantRequest = z.object({ keyId: ZRowId });

export const ZSignOutResult = z.object({
  signedIn: z.boolean().describe('Whether another tenant of this browser is now current.'),
});

export const ZApiKeyInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it; the key itself is never stored.'),
  scope: ZApiKeyScope,
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export const ZApiKeyList = z.array(ZApiKeyInfo);
export type TApiKeyInfo = z.infer<typeof ZApiKeyInfo>;

export const ZCreateApiKeyRequest = z.object({ name: ZKeyName, scope: ZApiKeyScope });
export type TCreateApiKeyRequest = z.infer<typeof ZCreateApiKeyRequest>;

export const ZCreatedApiKey = ZApiKeyInfo.extend({
  key: z.string().describe('The whole key. Shown this once: only its hash is stored.'),
});
export type TCreatedApiKey = z.infer<typeof ZCreatedApiKey>;

export const ZRevokeApiKeyRequest = z.object({ id: ZRowId });
