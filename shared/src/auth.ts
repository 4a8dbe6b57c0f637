import { z } from 'zod';
import { ZRole } from './roles.ts';
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

/** An email as people type it; stored trimmed and lower-cased. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'an email address has at most 254 characters')
  .pipe(z.email('enter an email address, like you@example.com'));

/** Long enough to resist guessing, short enough to bound the hashing work a request can ask for. */
export const ZNewPassword = z.string().min(10, 'choose a password of at least 10 characters').max(200, 'a password has at most 200 characters');

export const ZPasswordSignInRequest = z.object({
  email: ZEmail,
  password: z.string().min(1, 'enter your password').max(200, 'a password has at most 200 characters'),
});
export type TPasswordSignInRequest = z.infer<typeof ZPasswordSignInRequest>;

/** A one-time sign-in link's token (what a demo start or `npm run admin -- sign-in-link` prints). */
export const ZLinkSignInRequest = z.object({ token: z.string().trim().min(1).max(200) });

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(200),
  newPassword: ZNewPassword,
});

/**
 * A tenant this browser is signed in to: through a key (`keyId`, with its scope) or, signed in as a person,
 * through a membership (`tenantId`, with the role). `auth.switchTenant` takes the same id.
 */
export const ZSessionTenant = z.object({
  keyId: z.number().int().nullable(),
  tenantId: z.number().int(),
  tenantName: z.string(),
  scope: ZApiKeyScope.nullable(),
  role: ZRole.nullable(),
  current: z.boolean().describe('The tenant the dashboard shows now.'),
});
export const ZSessionTenants = z.array(ZSessionTenant);
export type TSessionTenant = z.infer<typeof ZSessionTenant>;

export const ZSwitchTenantRequest = z.union([z.object({ keyId: ZRowId }), z.object({ tenantId: ZRowId })]);
export type TSwitchTenantRequest = z.infer<typeof ZSwitchTenantRequest>;

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
