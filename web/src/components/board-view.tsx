import { Alert, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { TTile } from '@pulse/shared/boards';
import { useState } from 'react';
import { useBoard, useTileSaver } from '../hooks/use-boards.ts';
import { addTile } from '../lib/board-layout.ts';
import { describeError } from '../lib/trpc-errors.ts';
import { BoardActions } from './board-actions.tsx';
import { BoardAddTileModal } from './board-add-tile-modal.tsx';
import { BoardGrid } from './board-grid.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface BoardViewProps {
  boardId: number;
  /** Admin sessions edit; read sessions only look. */
  canEdit: boolean;
}

/** One board: its name, its tiles on the grid and, for those who may, the controls that change it. */
export function BoardView({ boardId, canEdit }: BoardViewProps) {
  const board = useBoard(boardId);
  const saver = useTileSaver(boardId);
  const [adding, setAdding] = useState(false);
  if (board.isError && !board.data) return <ErrorAlert error={board.error} onRetry={() => void board.refetch()} />;
  if (!board.data) return <Skeleton height={240} />;
  const { tiles } = board.data;
  const change = (next: TTile[]) => void saver.save(next);

  return (
    <Stack data-testid="board-view" data-board-id={board.data.id}>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={3} data-testid="board-name">
            {board.data.name}
          </Title>
          {canEdit ? (
            <Text size="sm" c="dimmed" data-testid="board-save-state" data-saving={saver.saving}>
              {saver.saving ? 'Saving…' : 'Saved'}
            </Text>
          ) : null}
        </Group>
        {canEdit ? (
          <Group gap="xs">
            <Button size="xs" onClick={() => setAdding(true)} data-testid="board-add-tile">
              Add tile
            </Button>
            <BoardActions board={board.data} />
          </Group>
        ) : null}
      </Group>
      {saver.refusal === undefined ? null : (
        <Alert color="red" variant="light" title="The last change was not saved" data-testid="board-save-error">
          {describeError(saver.refusal).detail} The board shows what is saved.
        </Alert>
      )}
      <BoardGrid tiles={tiles} onChange={canEdit ? change : undefined} />
      {canEdit ? <BoardAddTileModal opened={adding} onClose={() => setAdding(false)} onAdd={(tile) => saver.save(addTile(tiles, tile))} /> : null}
    </Stack>
  );
}
