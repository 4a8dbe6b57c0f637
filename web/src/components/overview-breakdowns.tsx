import { Anchor, Code, Group, SegmentedControl, SimpleGrid, Stack, Title } from '@mantine/core';
import type { TBreakdownDimension, TSummaryRequest } from '@pulse/shared/analytics';
import type { TFilter, TFilters } from '@pulse/shared/filters';
import { useState, type ReactNode } from 'react';
import { breakdownInput, useBotsExcluded, useBreakdown } from '../hooks/use-overview-data.ts';
import { hrefFor } from '../lib/routes.ts';
import { BotsExcluded } from './bots-excluded.tsx';
import { BreakdownCard } from './breakdown-card.tsx';
import { CountryValue } from './country-value.tsx';

type TUtmDimension = Extract<TBreakdownDimension, 'utmSource' | 'utmMedium' | 'utmCampaign'>;

const UTM_CHOICES: Array<{ value: TUtmDimension; label: string }> = [
  { value: 'utmSource', label: 'Source' },
  { value: 'utmMedium', label: 'Medium' },
  { value: 'utmCampaign', label: 'Campaign' },
];

const trackingLink = <Anchor href={hrefFor('tracking')}>the Pulse script</Anchor>;

interface OverviewBreakdownsProps {
  range: TSummaryRequest;
  filters: TFilters;
  /** Events in the range (bots left out), for the share bars. */
  totalEvents: number | undefined;
  /** A row clicked: filter by its value. */
  onFilter: (filter: TFilter) => void;
}

/** Where the range's visitors came from and what they used, with the bot events all of it leaves out. */
export function OverviewBreakdowns(props: OverviewBreakdownsProps) {
  const bots = useBotsExcluded(props.range, props.filters);
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="baseline">
        <Title order={4}>Audience</Title>
        <BotsExcluded bots={bots.data} error={bots.error} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        <DimensionCard
          {...props}
          by="country"
          title="Countries"
          testId="breakdown-country"
          renderValue={(value) => <CountryValue value={value} />}
          footnote={
            // DB-IP's licence (CC BY 4.0) asks for this wherever its results are shown.
            <Anchor href="https://db-ip.com" target="_blank" rel="noreferrer" inherit>
              IP Geolocation by DB-IP
            </Anchor>
          }
          empty={
            <>
              No country yet: countries come from visitors' addresses (or the <Code>context.location.country</Code> an SDK sends), so they appear once browsers
              send events, for example with {trackingLink}.
            </>
          }
        />
        <DimensionCard
          {...props}
          by="browser"
          title="Browsers"
          testId="breakdown-browser"
          empty={<>No browser yet: browsers are read from the User-Agent of events sent from web pages, for example with {trackingLink}.</>}
        />
        <DimensionCard
          {...props}
          by="os"
          title="Operating systems"
          testId="breakdown-os"
          empty={<>No operating system yet: it is read from the User-Agent of events sent from web pages and apps, for example with {trackingLink}.</>}
        />
        <DimensionCard
          {...props}
          by="device"
          title="Devices"
          testId="breakdown-device"
          empty={
            <>
              No device yet: devices come from the User-Agent, or from the <Code>context.device.type</Code> an SDK sends.
            </>
          }
        />
        <DimensionCard
          {...props}
          by="referrerSource"
          title="Sources"
          testId="breakdown-source"
          empty="No referring site yet: visits that arrive from a search engine or a link on another site show it here; direct visits have none."
        />
        <UtmCard {...props} />
      </SimpleGrid>
    </Stack>
  );
}

interface DimensionCardProps extends OverviewBreakdownsProps {
  by: Exclude<TBreakdownDimension, 'bot' | 'type' | 'referrer'>;
  title: string;
  testId: string;
  empty: ReactNode;
  renderValue?: (value: string) => ReactNode;
  controls?: ReactNode;
  footnote?: ReactNode;
}

function DimensionCard({ range, filters, by, ...card }: DimensionCardProps) {
  const breakdown = useBreakdown(range, by, filters);
  return (
    <BreakdownCard
      {...card}
      rows={breakdown.data?.rows}
      error={breakdown.error}
      onRetry={() => void breakdown.refetch()}
      filterField={by}
      csv={{ procedure: 'analytics.breakdown', input: breakdownInput(range, by, filters) }}
    />
  );
}

function UtmCard(props: OverviewBreakdownsProps) {
  const [by, setBy] = useState<TUtmDimension>('utmSource');
  const parameter = `utm_${by.slice('utm'.length).toLowerCase()}`;
  return (
    <DimensionCard
      {...props}
      by={by}
      title="Campaigns (UTM)"
      testId="breakdown-utm"
      controls={<SegmentedControl<TUtmDimension> size="xs" data={UTM_CHOICES} value={by} onChange={setBy} />}
      empty={
        <>
          No {parameter} yet: tag the links you share with <Code>?utm_source=…&utm_medium=…&utm_campaign=…</Code> (or send <Code>context.campaign</Code>) and
          their visits show here.
        </>
      }
    />
  );
}
