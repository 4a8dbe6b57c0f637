import type { TCreateApiKeyRequest } from '@pulse/shared/auth';
import { trpc } from '../lib/trpc.ts';

/** Creating a key (manageKeys): its whole key comes back this once, in `data`. Errors are for the caller to show. */
export function useCreateApiKey(options: { onCreated?: (key: string) => void } = {}) {
  const utils = trpc.useUtils();
  return trpc.keys.create.useMutation({
    onSuccess: (created) => {
      options.onCreated?.(created.key);
      return utils.keys.list.invalidate();
    },
    meta: { errorShownInPlace: true },
  });
}

/** The tenant's API keys (manageKeys), creating one (its whole key comes back this once) and revoking one. */
export function useApiKeys() {
  const utils = trpc.useUtils();
  const refreshList = () => utils.keys.list.invalidate();
  const keys = trpc.keys.list.useQuery();
  const create = useCreateApiKey();
  const revoke = trpc.keys.revoke.useMutation({ onSuccess: refreshList, meta: { errorShownInPlace: true } });
  return {
    keys,
    create: (request: TCreateApiKeyRequest) => create.mutate(request),
    created: create.data ?? null,
    createError: create.error,
    isCreating: create.isPending,
    revoke: (id: number) => revoke.mutate({ id }),
    revokeError: revoke.error,
    revokingId: revoke.isPending ? revoke.variables.id : null,
  };
}
