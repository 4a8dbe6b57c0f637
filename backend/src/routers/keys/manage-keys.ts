import { ZApiKeyInfo, ZApiKeyList, ZCreateApiKeyRequest, ZCreatedApiKey, ZRevokeApiKeyRequest } from '@pulse/shared/auth';
import { keysProcedure } from '../../trpc/trpc.ts';

/** The tenant's keys, revoked ones included; never the keys themselves, only their prefixes. */
export const listKeys = keysProcedure.output(ZApiKeyList).query(({ ctx }) => ctx.services.apiKeys.listKeys(ctx.principal.tenant.id));

/** A new key of the caller's tenant, returned whole this one time. */
export const createKey = keysProcedure
  .input(ZCreateApiKeyRequest)
  .output(ZCreatedApiKey)
  .mutation(({ ctx, input }) => ctx.services.apiKeys.createKey(ctx.principal.tenant.id, input.scope, input.name));

export const revokeKey = keysProcedure
  .input(ZRevokeApiKeyRequest)
  .output(ZApiKeyInfo)
  .mutation(({ ctx, input }) => ctx.services.apiKeys.revokeKey(ctx.principal.tenant.id, input.id));
