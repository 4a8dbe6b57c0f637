import { Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { TBreakdownResponse } from '@pulse/shared/analytics';
import { formatCount } from '../lib/format.ts';

interface BotsExcludedProps {
  /** `undefined` while loading. */
  bots: { total: number; crawlers: TBreakdownResponse['rows'] } | undefined;
  error: unknown;
}

/** "12 bot events excluded", naming the crawlers on hover: the breakdowns beside it count people only. */
export function BotsExcluded({ bots, error }: BotsExcludedProps) {
  if (!bots) {
    return error ? (
      <Text size="sm" c="dimmed" data-testid="bots-excluded">
        Bot events could not be counted.
      </Text>
    ) : (
      <Skeleton height={16} width={160} />
    );
  }
  if (bots.total === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="bots-excluded">
        No bot events in this range.
      </Text>
    );
  }
  const crawlers = (
    <Stack gap={0}>
      {bots.crawlers.map((crawler) => (
        <Text key={crawler.value} size="xs">
          {crawler.value}: {formatCount(crawler.count)}
        </Text>
      ))}
    </Stack>
  );
  return (
    <Tooltip label={crawlers} multiline withArrow>
      <Text size="sm" c="dimmed" td="underline dotted" data-testid="bots-excluded">
        {formatCount(bots.total)} bot {bots.total === 1 ? 'event' : 'events'} excluded
      </Text>
    </Tooltip>
  );
}
