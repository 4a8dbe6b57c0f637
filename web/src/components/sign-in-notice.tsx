import { Alert } from '@mantine/core';
import { useSignOutReason } from '../stores/session-store.ts';

/** Why the sign-in page is shown when the user did not sign out: a session or a link that stopped working. */
export function SignInNotice() {
  const reason = useSignOutReason();
  if (reason === 'key-rejected') {
    return (
      <Alert color="yellow" variant="light" title="You were signed out">
        Your session ended: it expired, its API key was revoked, or you were removed from the tenant. Sign in again.
      </Alert>
    );
  }
  if (reason === 'link-rejected') {
    return (
      <Alert color="yellow" variant="light" title="This sign-in link no longer works" data-testid="link-rejected">
        Its key is unknown or revoked: each start of the server prints a new link and revokes the keys of the links it printed before. Open the latest link, or
        sign in below.
      </Alert>
    );
  }
  if (reason === 'sign-in-link-rejected') {
    return (
      <Alert color="yellow" variant="light" title="This sign-in link no longer works" data-testid="link-rejected">
        A sign-in link works once, for a day: this one was used already or has expired. Ask for a new one (each demo start prints one), or sign in with your
        email and password.
      </Alert>
    );
  }
  return null;
}
