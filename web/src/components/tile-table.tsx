import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface TTileRow {
  /** The row's value as the API gave it (a country code, a step label): what tests and keys go by. */
  value: string;
  label: ReactNode;
  /** Figures, already formatted, right-aligned after the label. */
  cells: string[];
}

interface TileTableProps {
  /** Headers of the label column and the figures; none for a plain list of counts. */
  head?: string[];
  rows: TTileRow[];
  /** What an empty answer means. */
  empty: string;
}

/** A tile's compact table: a label and its figures per row. */
export function TileTable({ head, rows, empty }: TileTableProps) {
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
  }
  return (
    <Table verticalSpacing={4} fz="sm" highlightOnHover>
      {head ? (
        <Table.Thead>
          <Table.Tr>
            {head.map((title, index) => (
              <Table.Th key={title} ta={index === 0 ? undefined : 'right'}>
                {title}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
      ) : null}
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.value} data-testid="tile-row" data-value={row.value}>
            <Table.Td>{row.label}</Table.Td>
            {row.cells.map((cell, index) => (
              <Table.Td key={index} ta="right">
                {cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
