import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { TInvitationAccount } from '../hooks/use-invitation.ts';
import { NEW_PASSWORD_MIN_LENGTH } from '../lib/passwords.ts';

interface InvitationAccountFormProps {
  accepting: boolean;
  onAccept: (account: TInvitationAccount) => void;
}

/** Joining without being signed in as a person: with the account one has, or a new one. */
export function InvitationAccountForm({ accepting, onAccept }: InvitationAccountFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const filled = email.trim() !== '' && password !== '';
  const strongEnough = password.length >= NEW_PASSWORD_MIN_LENGTH;
  const accept = (account: 'existing' | 'new') => onAccept({ account, email: email.trim(), password });

  return (
    <Stack>
      <TextInput
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.currentTarget.value)}
        data-testid="invitation-email"
      />
      <PasswordInput
        label="Password"
        description={`A new account needs one of at least ${NEW_PASSWORD_MIN_LENGTH} characters.`}
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.currentTarget.value)}
        data-testid="invitation-password"
      />
      <Group grow>
        <Button onClick={() => accept('existing')} disabled={!filled || accepting} data-testid="invitation-accept-existing">
          I have an account
        </Button>
        <Button variant="light" onClick={() => accept('new')} disabled={!filled || !strongEnough || accepting} data-testid="invitation-accept-new">
          Create my account
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Either way you join at once, and are signed in as that account.
      </Text>
    </Stack>
  );
}
