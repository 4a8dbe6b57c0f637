import { Badge, Code, Table, Text } from '@mantine/core';
import type { TAuditEntry } from '@pulse/shared/audit';
import { formatInstant } from '../lib/format.ts';

const ACTOR_COLORS: Record<TAuditEntry['actorKind'], string> = { user: 'blue', key: 'gray', operator: 'orange' };

/** `{"role":"editor"}`; nothing for no details. */
function compactDetails(details: TAuditEntry['details']): string {
  return Object.keys(details).length === 0 ? '' : JSON.stringify(details);
}

/** Audit entries as the server lists them (newest first): when, who, what, to what, with what. */
export function AuditTable({ entries }: { entries: TAuditEntry[] }) {
  return (
    <Table striped data-testid="audit-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Actor</Table.Th>
          <Table.Th>Action</Table.Th>
          <Table.Th>Target</Table.Th>
          <Table.Th>Details</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((entry) => (
          <Table.Tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatInstant(entry.at)}
              </Text>
            </Table.Td>
            <Table.Td data-testid="audit-actor">
              <Badge size="xs" variant="light" color={ACTOR_COLORS[entry.actorKind]} mr={6}>
                {entry.actorKind}
              </Badge>
              {entry.actor}
            </Table.Td>
            <Table.Td>
              <Code data-testid="audit-action">{entry.action}</Code>
            </Table.Td>
            <Table.Td data-testid="audit-target">{entry.target}</Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="audit-details">
                {compactDetails(entry.details)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
