import { Badge, Select, Table, Text } from '@mantine/core';
import type { TMember } from '@pulse/shared/members';
import type { TRole } from '@pulse/shared/roles';
import { formatInstant } from '../lib/format.ts';
import { mayManageMember, roleOptions } from '../lib/member-roles.ts';
import { ConfirmButton } from './confirm-button.tsx';

interface MemberTableProps {
  members: TMember[];
  /** The signed-in person's role: what they may change. */
  myRole: TRole | null;
  onChangeRole: (member: TMember, role: TRole) => void;
  onRemove: (member: TMember) => void;
  /** The member a change is being saved for. */
  busyUserId: number | null;
}

/** The tenant's members, each with their role (a select where the signed-in person may change it) and a Remove button. */
export function MemberTable({ members, myRole, onChangeRole, onRemove, busyUserId }: MemberTableProps) {
  return (
    <Table striped data-testid="member-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Email</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Joined</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {members.map((member) => {
          const manageable = mayManageMember(myRole, member);
          return (
            <Table.Tr key={member.userId} data-testid="member-row" data-email={member.email}>
              <Table.Td>
                {member.email}{' '}
                {member.you ? (
                  <Badge size="xs" variant="light">
                    you
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={130}
                  aria-label={`Role of ${member.email}`}
                  data={roleOptions(myRole, member.role)}
                  value={member.role}
                  onChange={(role) => role && role !== member.role && onChangeRole(member, role as TRole)}
                  allowDeselect={false}
                  disabled={!manageable || busyUserId === member.userId}
                  data-testid="member-role"
                />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatInstant(member.joinedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <ConfirmButton
                  label="Remove"
                  question={`Remove ${member.email}? They lose access to this tenant at once; only a new invitation brings them back.`}
                  confirmLabel="Remove"
                  onConfirm={() => onRemove(member)}
                  disabled={!manageable}
                  loading={busyUserId === member.userId}
                  testId="member-remove"
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
