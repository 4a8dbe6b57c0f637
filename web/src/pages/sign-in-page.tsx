import { Alert, Button, Code, Container, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useKeySignIn } from '../hooks/use-session.ts';
import { isUnauthorized } from '../lib/trpc-errors.ts';
import { useAddingTenant, useSessionStore, useSignOutReason } from '../stores/session-store.ts';

export function SignInPage() {
  const [apiKey, setApiKey] = useState('');
  const { submit, error, isPending } = useKeySignIn();
  const signOutReason = useSignOutReason();
  const addingTenant = useAddingTenant();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(apiKey.trim());
  };

  return (
    <Container size={420} py={80}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>Pulse</Title>
          <Text c="dimmed">
            {addingTenant
              ? 'Sign in to another tenant; you can switch back from the tenant menu.'
              : "Sign in with your tenant's read or admin API key to see its analytics."}
          </Text>
        </Stack>
        {signOutReason === 'key-rejected' && error === null ? (
          <Alert color="yellow" variant="light" title="You were signed out">
            Your session ended: it expired, or its API key was revoked. Sign in with a valid key.
          </Alert>
        ) : null}
        {signOutReason === 'link-rejected' && error === null ? (
          <Alert color="yellow" variant="light" title="This sign-in link no longer works" data-testid="link-rejected">
            Its key is unknown or revoked: each start of the server prints a new link and revokes the keys of the links it printed before. Open the latest link,
            or sign in with a key.
          </Alert>
        ) : null}
        <Paper withBorder p="lg" component="form" onSubmit={onSubmit}>
          <Stack>
            <PasswordInput
              label="API key"
              placeholder="Paste the key printed by the backend or by npm run db:seed"
              value={apiKey}
              onChange={(event) => setApiKey(event.currentTarget.value)}
              required
              autoFocus
              data-testid="api-key-input"
            />
            <Button type="submit" loading={isPending} disabled={apiKey.trim() === ''}>
              Sign in
            </Button>
            {addingTenant ? (
              <Button variant="subtle" onClick={() => useSessionStore.getState().setAddingTenant(false)}>
                Back to the dashboard
              </Button>
            ) : null}
          </Stack>
        </Paper>
        {error !== null && isUnauthorized(error) ? (
          <Alert color="red" variant="light" title="Unknown key" role="alert">
            That key is not valid for any tenant — check it or create one with <Code>npm run db:seed</Code>.
          </Alert>
        ) : null}
        {error !== null && !isUnauthorized(error) ? <ErrorAlert error={error} /> : null}
      </Stack>
    </Container>
  );
}
