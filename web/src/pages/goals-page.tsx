import { Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { TGoal } from '@pulse/shared/goals';
import { useState } from 'react';
import { CsvDownloadButton } from '../components/csv-download-button.tsx';
import { DegradedBadge } from '../components/degraded-badge.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FunnelRangePicker } from '../components/funnel-range-picker.tsx';
import { GoalDeleteModal } from '../components/goal-delete-modal.tsx';
import { GoalForm } from '../components/goal-form.tsx';
import { GoalTable } from '../components/goal-table.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { useCatalog } from '../hooks/use-overview-data.ts';
import { useGoalChanges, useGoalList, useGoalsReport } from '../hooks/use-goals.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { formatCount } from '../lib/format.ts';
import { useOverviewRange } from '../stores/overview-store.ts';

export function GoalsPage() {
  const { range, choiceKey } = useOverviewRange();
  const editInsights = usePermission('editInsights');
  const goals = useGoalList();
  const report = useGoalsReport(range, choiceKey);
  const changes = useGoalChanges();
  const catalog = useCatalog(range, true);
  const [editing, setEditing] = useState<TGoal | null>(null);
  const [deleting, setDeleting] = useState<TGoal | null>(null);
  const results = new Map((report.data?.goals ?? []).map((result) => [result.id, result]));

  const closeDelete = () => {
    changes.remove.reset();
    setDeleting(null);
  };
  const confirmDelete = (goal: TGoal) =>
    changes.remove.mutate(
      { id: goal.id },
      {
        onSuccess: () => {
          if (editing?.id === goal.id) setEditing(null);
          setDeleting(null);
        },
      },
    );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group>
          <Title order={2}>Goals</Title>
          <DegradedBadge degraded={report.data?.degraded} />
        </Group>
        <FunnelRangePicker />
      </Group>
      <PermissionAlert check={editInsights} title={`Changing goals needs ${editInsights.needs}`} testId="goals-read-only">
        The report below is yours to read.
      </PermissionAlert>
      {editInsights.allowed ? (
        <GoalForm
          // A goal chosen for editing starts the form over from it.
          key={editing?.id ?? 'new'}
          editing={editing}
          changes={changes}
          range={range}
          eventNames={catalog.data?.eventNames.map((event) => event.name) ?? []}
          onDone={() => {
            changes.create.reset();
            changes.update.reset();
            setEditing(null);
          }}
        />
      ) : null}
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>
            Report{' '}
            {report.data ? (
              <Text span c="dimmed" size="sm">
                rates are of <span data-testid="goals-total-visitors">{formatCount(report.data.visitors)}</span> visitors in this range
              </Text>
            ) : null}
          </Title>
          <CsvDownloadButton procedure="analytics.goals" input={range} testId="goals-csv" />
        </Group>
        {report.isError && !report.data ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
        {goals.isError ? <ErrorAlert error={goals.error} onRetry={() => void goals.refetch()} /> : null}
        {goals.data ? (
          <GoalTable
            goals={goals.data}
            results={report.isError && !report.data ? null : results}
            canEdit={editInsights.allowed}
            onEdit={setEditing}
            onDelete={setDeleting}
          />
        ) : goals.isPending ? (
          <Skeleton height={120} />
        ) : null}
      </Paper>
      <GoalDeleteModal goal={deleting} deleting={changes.remove.isPending} error={changes.remove.error} onConfirm={confirmDelete} onCancel={closeDelete} />
    </Stack>
  );
}
