import { Button, Paper, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { usePasswordSignIn } from '../hooks/use-session.ts';
import { RefusalAlert } from './refusal-alert.tsx';

/** A person signs in with their email and password. */
export function PasswordSignInForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, isPending } = usePasswordSignIn();
  const complete = email.trim() !== '' && password !== '';

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (complete) submit({ email: email.trim(), password });
  };

  return (
    <Stack gap="sm">
      <Paper withBorder p="lg" component="form" onSubmit={onSubmit}>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            required
            autoFocus
            data-testid="email-input"
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            required
            data-testid="password-input"
          />
          <Button type="submit" loading={isPending} disabled={!complete} data-testid="password-sign-in">
            Sign in
          </Button>
        </Stack>
      </Paper>
      <RefusalAlert error={error} title="Not signed in" />
    </Stack>
  );
}
