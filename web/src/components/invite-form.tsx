import { Button, CopyButton, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import type { TCreatedInvitation, TInviteRequest } from '@pulse/shared/members';
import type { TRole } from '@pulse/shared/roles';
import { useState, type FormEvent } from 'react';
import { formatInstant } from '../lib/format.ts';
import { roleOptions } from '../lib/member-roles.ts';

interface InviteFormProps {
  myRole: TRole | null;
  onInvite: (request: TInviteRequest) => void;
  inviting: boolean;
  /** The invitation just created: its link is shown this once. */
  created: TCreatedInvitation | undefined;
}

/** Makes a one-time invitation link for a role, and shows it once to be copied and sent. */
export function InviteForm({ myRole, onInvite, inviting, created }: InviteFormProps) {
  const [role, setRole] = useState<TRole>('viewer');
  const [expiresInDays, setExpiresInDays] = useState(7);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onInvite({ role, expiresInDays });
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack gap="sm">
        <Group align="flex-end">
          <Select
            label="Role"
            data={roleOptions(myRole)}
            value={role}
            onChange={(value) => value && setRole(value as TRole)}
            allowDeselect={false}
            w={160}
            data-testid="invite-role"
          />
          <NumberInput
            label="Link works for (days)"
            min={1}
            max={30}
            value={expiresInDays}
            onChange={(value) => setExpiresInDays(Math.min(30, Math.max(1, Number(value) || 1)))}
            w={180}
            data-testid="invite-days"
          />
          <Button type="submit" loading={inviting} data-testid="invite-create">
            Create invitation link
          </Button>
        </Group>
        {created ? <InvitationLink created={created} /> : null}
      </Stack>
    </Paper>
  );
}

function InvitationLink({ created }: { created: TCreatedInvitation }) {
  const link = `${window.location.origin}/?invitation=${created.token}`;
  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label={`Invitation link (${created.role})`}
          value={link}
          readOnly
          style={{ flex: 1 }}
          onFocus={(event) => event.currentTarget.select()}
          data-testid="invitation-link"
        />
        <CopyButton value={link}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        Send it to the person you invite: it is shown only this once, works once, and expires {formatInstant(created.expiresAt)}.
      </Text>
    </Stack>
  );
}
