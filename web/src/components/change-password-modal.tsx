import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useAccount } from '../hooks/use-account.ts';
import { NEW_PASSWORD_MIN_LENGTH } from '../lib/passwords.ts';
import { RefusalAlert } from './refusal-alert.tsx';

/** The signed-in person changes their password (the current one first); their other browsers are signed out. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { changePassword } = useAccount();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const close = () => {
    setCurrentPassword('');
    setNewPassword('');
    changePassword.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    changePassword.mutate({ currentPassword, newPassword });
  };
  const done = changePassword.data;

  return (
    <Modal opened={opened} onClose={close} title="Change password">
      {done ? (
        <Stack>
          <Alert color="green" variant="light" title="Password changed" data-testid="change-password-done">
            {done.otherSessionsEnded === 0
              ? 'No other browser was signed in as you.'
              : `${done.otherSessionsEnded} other session${done.otherSessionsEnded === 1 ? ' was' : 's were'} signed out.`}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <Stack component="form" onSubmit={submit}>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
            data-testid="change-password-current"
          />
          <PasswordInput
            label="New password"
            description={`At least ${NEW_PASSWORD_MIN_LENGTH} characters. Your other browsers are signed out.`}
            autoComplete="new-password"
            value={newPassword}
            onChange={(event) => setNewPassword(event.currentTarget.value)}
            data-testid="change-password-new"
          />
          <RefusalAlert error={changePassword.error} title="Password not changed" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={changePassword.isPending}
              disabled={currentPassword === '' || newPassword.length < NEW_PASSWORD_MIN_LENGTH}
              data-testid="change-password-save"
            >
              Change password
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
