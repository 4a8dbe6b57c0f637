import { Badge, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import type { TApiKeyInfo, TApiKeyScope } from '@pulse/shared/auth';
import { useState, type FormEvent } from 'react';
import { CreatedKeyAlert } from '../components/created-key-alert.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { useApiKeys } from '../hooks/use-api-keys.ts';
import { usePermission } from '../hooks/use-permission.ts';

// Type imports only: the dashboard does not ship Zod.
const SCOPE_HINTS: Record<TApiKeyScope, string> = {
  ingest: 'sends events only; safe to put in a web page or an app',
  read: 'reads the dashboards',
  admin: 'everything, including these keys',
};
const SCOPES = Object.keys(SCOPE_HINTS) as TApiKeyScope[];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function KeysPage() {
  const manageKeys = usePermission('manageKeys');
  if (!manageKeys.allowed) {
    return (
      <Stack gap="lg">
        <PageHeader title="API keys" />
        <PermissionAlert check={manageKeys} title={`Managing keys needs ${manageKeys.needs}`} testId="keys-read-only" />
      </Stack>
    );
  }
  return <KeyManager />;
}

function KeyManager() {
  const { keys, create, created, createError, isCreating, revoke, revokeError, revokingId } = useApiKeys();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TApiKeyScope>('ingest');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create({ name: name.trim(), scope });
    setName('');
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="API keys"
        description="Keys of this tenant. A key is shown once, when it is created; afterwards only its first characters. Revoking a key stops it at once on every instance."
      />
      <Paper withBorder p="md" component="form" onSubmit={onSubmit}>
        <Group align="flex-end">
          <TextInput
            label="Name"
            placeholder="website, mobile app, reporting…"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            required
            data-testid="key-name-input"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Scope
            </Text>
            <SegmentedControl value={scope} onChange={(value) => setScope(value as TApiKeyScope)} data={SCOPES} data-testid="key-scope" />
          </Stack>
          <Button type="submit" loading={isCreating} disabled={name.trim() === ''} data-testid="create-key">
            Create key
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {scope}: {SCOPE_HINTS[scope]}
        </Text>
      </Paper>
      {createError ? <ErrorAlert error={createError} /> : null}
      {created ? <CreatedKeyAlert created={created} /> : null}
      {revokeError ? <ErrorAlert error={revokeError} /> : null}
      {keys.isError ? <ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} /> : null}
      {keys.isPending ? <Skeleton height={160} /> : null}
      {keys.data ? <KeyTable keys={keys.data} onRevoke={revoke} revokingId={revokingId} /> : null}
    </Stack>
  );
}

function KeyTable({ keys, onRevoke, revokingId }: { keys: TApiKeyInfo[]; onRevoke: (id: number) => void; revokingId: number | null }) {
  return (
    <Table striped data-testid="key-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Key</Table.Th>
          <Table.Th>Scope</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Last used</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keys.map((key) => (
          <Table.Tr key={key.id} data-testid={`key-row-${key.name}`}>
            <Table.Td>{key.name}</Table.Td>
            <Table.Td>
              <Text ff="monospace" size="sm">
                {key.prefix}…
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="light">{key.scope}</Badge>
            </Table.Td>
            <Table.Td>{when(key.createdAt)}</Table.Td>
            <Table.Td>{when(key.lastUsedAt)}</Table.Td>
            <Table.Td>
              {key.revokedAt ? (
                <Badge color="gray" variant="outline" title={`revoked ${when(key.revokedAt)}`}>
                  revoked
                </Badge>
              ) : (
                <Button size="xs" variant="light" color="red" loading={revokingId === key.id} onClick={() => onRevoke(key.id)}>
                  Revoke
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
