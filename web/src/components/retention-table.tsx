import { alpha, Table, Text, Tooltip } from '@mantine/core';
import type { TRetentionResponse } from '@pulse/shared/cohorts';
import { formatCount } from '../lib/format.ts';
import { cohortLabeller, retentionCellText, retentionFill } from '../lib/retention-cells.ts';

const PERIOD_NOUN = { day: 'Day', week: 'Week', month: 'Month' } as const;

/**
 * The retention triangle: a row per cohort (its start and size), a column per period since, each cell the
 * share of the cohort that came back then, filled in proportion; its count shows on hover.
 */
export function RetentionTable({ answer }: { answer: TRetentionResponse }) {
  const labelOf = cohortLabeller(answer.period, answer.timeZone);
  const offsets = answer.periods.map((_, offset) => offset);
  const noun = PERIOD_NOUN[answer.period];
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table withColumnBorders data-testid="retention-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Cohort</Table.Th>
            <Table.Th ta="right">Visitors</Table.Th>
            {offsets.map((offset) => (
              <Table.Th key={offset} ta="center">
                {noun} {offset}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {answer.periods.map((cohort, row) => (
            <Table.Tr key={cohort.start}>
              <Table.Td data-testid={`retention-start-${row}`}>{labelOf(cohort.start)}</Table.Td>
              <Table.Td ta="right" data-testid={`retention-size-${row}`}>
                {formatCount(cohort.size)}
              </Table.Td>
              {offsets.map((offset) => {
                const cell = cohort.values[offset];
                if (!cell) return <Table.Td key={offset} />;
                const fill = retentionFill(cohort.size === 0 ? 0 : cell.percent);
                return (
                  <Tooltip
                    key={offset}
                    label={`${formatCount(cell.returned)} of ${formatCount(cohort.size)} visitors came back in ${noun.toLowerCase()} ${offset}`}
                  >
                    <Table.Td ta="center" bg={alpha('var(--mantine-primary-color-filled)', fill.opacity)} data-testid={`retention-cell-${row}-${offset}`}>
                      <Text size="sm" c={fill.lightText ? 'white' : undefined}>
                        {retentionCellText(cohort.size, cell.percent)}
                      </Text>
                    </Table.Td>
                  </Tooltip>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
