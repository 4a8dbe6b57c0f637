import { Group, Skeleton, Stack, Text } from '@mantine/core';
import { BoardCreateForm } from '../components/board-create-form.tsx';
import { BoardTabs } from '../components/board-tabs.tsx';
import { BoardView } from '../components/board-view.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { showBoard, useBoardList, useSelectedBoardId } from '../hooks/use-boards.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';

export function BoardsPage() {
  const whoAmI = useWhoAmI();
  const editInsights = usePermission('editInsights');
  const canEdit = editInsights.allowed;
  const boards = useBoardList();
  const selectedId = useSelectedBoardId(boards.data);

  return (
    <Stack gap="lg">
      <PageHeader
        title="Boards"
        description="Saved insights, each with its own range and filters, laid out on a grid. Every tile asks its question afresh (through the cache) each time the board is shown."
      />
      <PermissionAlert check={editInsights} title="Read only" testId="boards-read-only">
        You can look at the boards.
      </PermissionAlert>
      <Group justify="space-between" align="flex-start">
        {boards.data ? <BoardTabs boards={boards.data} selectedId={selectedId} onSelect={showBoard} /> : <Skeleton height={32} width={240} />}
        <BoardCreateForm count={boards.data?.length} plan={whoAmI.data?.tenant.plan} canEdit={canEdit} />
      </Group>
      {boards.isError && !boards.data ? <ErrorAlert error={boards.error} onRetry={() => void boards.refetch()} /> : null}
      {boards.data?.length === 0 ? (
        <Text c="dimmed" data-testid="boards-none">
          No boards yet.{canEdit ? ' Name one to start, then add tiles to it.' : ''}
        </Text>
      ) : null}
      {selectedId === undefined ? null : <BoardView key={selectedId} boardId={selectedId} canEdit={canEdit} />}
    </Stack>
  );
}
