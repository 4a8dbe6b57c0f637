import { Alert, Button, Code, Container, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useKeySignIn } from '../hooks/use-key-sign-in.ts';
import { isUnauthorized } from '../lib/trpc-errors.ts';
import { useSignOutReason } from '../stores/session-store.ts';

export function SignInPage() {
  const [apiKey, setApiKey] = useState('');
  const { submit, error, isPending } = useKeySignIn();
  const signOutReason = useSignOutReason();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(apiKey.trim());
  };

  return (
    <Container size={420} py={80}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>Pulse</Title>
          <Text c="dimmed">Sign in with your tenant's API key to see its analytics.</Text>
        </Stack>
        {signOutReason === 'key-rejected' && error === null ? (
          <Alert color="yellow" variant="light" title="You were signed out">
            The API key was rejected: it is unknown or was revoked. Sign in with a valid key.
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
