import { router } from '../../trpc/trpc.ts';
import { sessionTenants, switchTenant } from './session-tenants.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { whoAmI } from './who-am-i.ts';

export const authRouter = router({
  whoAmI,
  signIn,
  signOut,
  sessionTenants,
  switchTenant,
});
