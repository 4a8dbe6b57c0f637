import { Alert, Button, Code, Paper, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useKeySignIn } from '../hooks/use-session.ts';
import { isUnauthorized } from '../lib/trpc-errors.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Signs in with a tenant's read or admin API key (scripts, kiosks, and the way before accounts). */
export function KeySignInForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const [apiKey, setApiKey] = useState('');
  const { submit, error, isPending } = useKeySignIn();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(apiKey.trim());
  };

  return (
    <Stack gap="sm">
      <Paper withBorder p="lg" component="form" onSubmit={onSubmit}>
        <Stack>
          <PasswordInput
            label="API key"
            placeholder="Paste the key printed by the backend or by npm run db:seed"
            value={apiKey}
            onChange={(event) => setApiKey(event.currentTarget.value)}
            required
            autoFocus={autoFocus}
            data-testid="api-key-input"
          />
          <Button type="submit" variant="light" loading={isPending} disabled={apiKey.trim() === ''} data-testid="key-sign-in">
            Sign in with the key
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
  );
}
