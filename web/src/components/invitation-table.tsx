import { Badge, Button, Table, Text } from '@mantine/core';
import type { TPendingInvitation } from '@pulse/shared/members';
import { formatInstant } from '../lib/format.ts';
import { ROLE_LABELS } from '../lib/member-roles.ts';

interface InvitationTableProps {
  invitations: TPendingInvitation[];
  onRevoke: (invitation: TPendingInvitation) => void;
  revokingId: number | null;
}

/** Invitation links not used yet: revoking one makes its link useless at once. */
export function InvitationTable({ invitations, onRevoke, revokingId }: InvitationTableProps) {
  if (invitations.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="invitations-none">
        No pending invitations.
      </Text>
    );
  }
  return (
    <Table striped data-testid="invitation-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Role</Table.Th>
          <Table.Th>Invited by</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Expires</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {invitations.map((invitation) => (
          <Table.Tr key={invitation.id} data-testid="invitation-row">
            <Table.Td>
              <Badge variant="light">{ROLE_LABELS[invitation.role]}</Badge>
            </Table.Td>
            <Table.Td>{invitation.invitedBy}</Table.Td>
            <Table.Td>{formatInstant(invitation.createdAt)}</Table.Td>
            <Table.Td>{formatInstant(invitation.expiresAt)}</Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="light"
                color="red"
                loading={revokingId === invitation.id}
                onClick={() => onRevoke(invitation)}
                data-testid="invitation-revoke"
              >
                Revoke
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
