import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CsvDownloadButton } from './csv-download-button.tsx';

/** The question a table answers: its CSV download asks the same, so the file holds the rows shown. */
export interface TableCsv {
  procedure: string;
  input: unknown;
}

interface TableCardHeaderProps {
  title: string;
  csv?: TableCsv;
  /** The download button's test id. */
  csvTestId: string;
  /** 4 for a wide card, 5 for a small one. */
  order?: 4 | 5;
  /** Shown beside the download, e.g. a choice between related dimensions. */
  controls?: ReactNode;
}

/** A table card's title, with its controls and a compact "CSV" download on the right. */
export function TableCardHeader({ title, csv, csvTestId, order = 4, controls }: TableCardHeaderProps) {
  return (
    <Group justify="space-between" mb={order === 4 ? 'sm' : 'xs'} gap="xs">
      <Title order={order}>{title}</Title>
      <Group gap="xs">
        {controls}
        {csv && <CsvDownloadButton {...csv} label="CSV" ariaLabel={`Download ${title} as CSV`} testId={csvTestId} />}
      </Group>
    </Group>
  );
}
