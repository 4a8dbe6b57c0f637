import { router } from '../../trpc/trpc.ts';
import { getSystemInfo } from './get-system-info.ts';

export const systemRouter = router({
  info: getSystemInfo,
});
