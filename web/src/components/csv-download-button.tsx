import { Button } from '@mantine/core';
import { csvUrl } from '../lib/csv-url.ts';

interface CsvDownloadButtonProps {
  /** The procedure the table is read with, e.g. "analytics.funnel". */
  procedure: string;
  /** The input the table was read with: the file holds the same rows. */
  input: unknown;
  testId?: string;
  /** The button's text; "Download CSV" unless a card has little room. */
  label?: string;
  /** What a screen reader says, when the label alone does not say which table. */
  ariaLabel?: string;
}

/** "Download CSV": a plain link, so the browser downloads the file itself (the session cookie goes with it). */
export function CsvDownloadButton({ procedure, input, testId, label = 'Download CSV', ariaLabel }: CsvDownloadButtonProps) {
  return (
    <Button component="a" href={csvUrl(procedure, input)} download="" size="xs" variant="default" data-testid={testId} aria-label={ariaLabel}>
      {label}
    </Button>
  );
}
