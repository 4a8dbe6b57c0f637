import { Tabs } from '@mantine/core';
import type { TBoardSummary } from '@pulse/shared/boards';

interface BoardTabsProps {
  boards: readonly TBoardSummary[];
  selectedId: number | undefined;
  onSelect: (id: number) => void;
}

/** The tenant's boards, oldest first; the chosen one is shown below. */
export function BoardTabs({ boards, selectedId, onSelect }: BoardTabsProps) {
  return (
    <Tabs variant="pills" value={selectedId === undefined ? null : String(selectedId)} onChange={(value) => value && onSelect(Number(value))}>
      <Tabs.List>
        {boards.map((board) => (
          <Tabs.Tab key={board.id} value={String(board.id)} data-testid="board-tab" data-board-id={board.id}>
            {board.name}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
