import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { AuditTable } from '../components/audit-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { useAuditLog } from '../hooks/use-audit-log.ts';
import { usePermission } from '../hooks/use-permission.ts';

export function AuditPage() {
  const viewAudit = usePermission('viewAudit');
  return (
    <Stack gap="lg">
      <PageHeader
        title="Audit log"
        description="Every change made in this tenant — keys, members, boards, goals, settings — with who made it, newest first. Secrets are never recorded."
      />
      <PermissionAlert check={viewAudit} title={`The audit log needs ${viewAudit.needs}`} testId="audit-read-only" />
      {viewAudit.allowed ? <AuditLog /> : null}
    </Stack>
  );
}

function AuditLog() {
  const log = useAuditLog();
  if (log.isPending) return <Skeleton height={240} />;
  if (log.isError && log.entries.length === 0) return <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  if (log.entries.length === 0) {
    return (
      <Text c="dimmed" data-testid="audit-none">
        Nothing was changed in this tenant yet.
      </Text>
    );
  }
  return (
    <Stack>
      <AuditTable entries={log.entries} />
      {log.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} data-testid="audit-load-older">
            Load older
          </Button>
        </Group>
      ) : null}
      {log.isFetchNextPageError ? <ErrorAlert error={log.error} /> : null}
    </Stack>
  );
}
