import { Table, type TableTrProps } from '@mantine/core';
import type { ComponentPropsWithoutRef, KeyboardEvent } from 'react';

interface FilterRowProps extends TableTrProps, Omit<ComponentPropsWithoutRef<'tr'>, keyof TableTrProps> {
  /** What activating the row does, e.g. "Filter by Country DE"; without it the row is a plain one. */
  filterLabel?: string;
  onFilter?: () => void;
}

/** A table row that filters the Overview by its value: a click anywhere on it, or Enter/Space once focused. */
export function FilterRow({ filterLabel, onFilter, children, ...row }: FilterRowProps) {
  if (!onFilter) return <Table.Tr {...row}>{children}</Table.Tr>;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onFilter();
  };
  return (
    <Table.Tr
      {...row}
      role="button"
      tabIndex={0}
      aria-label={filterLabel}
      title={filterLabel}
      style={{ cursor: 'pointer' }}
      onClick={onFilter}
      onKeyDown={onKeyDown}
    >
      {children}
    </Table.Tr>
  );
}
