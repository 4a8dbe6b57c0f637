import { router } from '../../trpc/trpc.ts';
import { changePassword } from './change-password.ts';
import { sessionTenants, switchTenant } from './session-tenants.ts';
import { signInWithLink, signInWithPassword } from './sign-in-as-person.ts';
import { signIn } from './sign-in.ts';
import { signOut, signOutEverywhere } from './sign-out.ts';
import { whoAmI } from './who-am-i.ts';

export const authRouter = router({
  whoAmI,
  signIn,
  signInWithPassword,
  signInWithLink,
  changePassword,
  signOut,
  signOutEverywhere,
  sessionTenants,
  switchTenant,
});
