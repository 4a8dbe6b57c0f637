import { router } from '../../trpc/trpc.ts';
import { whoAmI } from './who-am-i.ts';

export const authRouter = router({
  whoAmI,
});
