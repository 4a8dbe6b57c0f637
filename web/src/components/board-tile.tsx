import { Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import type { TTile } from '@pulse/shared/boards';
import type { ReactNode } from 'react';
import { describeInsight } from '../lib/board-insights.ts';
import { presetLabel } from '../lib/board-range.ts';
import { TileAnswer } from './tile-answer.tsx';

interface BoardTileProps {
  tile: TTile;
  /** The layout buttons, for those who may edit the board. */
  controls?: ReactNode;
}

/** One saved insight: its title, its range, and its answer as asked now; the answer scrolls within the tile. */
export function BoardTile({ tile, controls }: BoardTileProps) {
  const { x, y, w, h } = tile.layout;
  const description = describeInsight(tile.insight);
  return (
    <Paper
      withBorder
      p="sm"
      h="100%"
      style={{ display: 'flex', flexDirection: 'column', overflow: 'hidden' }}
      data-testid="board-tile"
      data-tile-id={tile.id}
      data-title={tile.title}
      data-procedure={tile.insight.procedure}
      data-layout={`${x},${y},${w},${h}`}
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap" mb="xs">
        <Stack gap={0} miw={0}>
          <Text fw={700} truncate data-testid="tile-title">
            {tile.title}
          </Text>
          {description === tile.title ? null : (
            <Text size="xs" c="dimmed" truncate>
              {description}
            </Text>
          )}
        </Stack>
        <Badge variant="light" style={{ flexShrink: 0 }} data-testid="tile-preset">
          {presetLabel(tile.insight.rangePreset)}
        </Badge>
      </Group>
      <Box style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
        <TileAnswer insight={tile.insight} />
      </Box>
      {controls ? (
        <Group justify="flex-end" mt="xs">
          {controls}
        </Group>
      ) : null}
    </Paper>
  );
}
