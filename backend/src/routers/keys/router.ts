import { router } from '../../trpc/trpc.ts';
import { createKey, listKeys, revokeKey } from './manage-keys.ts';

export const keysRouter = router({
  list: listKeys,
  create: createKey,
  revoke: revokeKey,
});
