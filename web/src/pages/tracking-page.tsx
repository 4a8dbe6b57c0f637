import { Stack } from '@mantine/core';
import { useState } from 'react';
import { FirstEventStatus } from '../components/first-event-status.tsx';
import { IngestKeyChooser } from '../components/ingest-key-chooser.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TrackingSnippetTabs } from '../components/tracking-snippet-tabs.tsx';
import { trackingTargetOf } from '../lib/tracking-snippets.ts';

export function TrackingPage() {
  // Component state only: a key put in storage would outlive the page that needed it.
  const [apiKey, setApiKey] = useState('');
  return (
    <Stack gap="lg">
      <PageHeader
        title="Tracking"
        description="Send events to this Pulse from your site, app or backend. Pick a key, copy a snippet, and watch for the first event here."
      />
      <FirstEventStatus />
      <IngestKeyChooser apiKey={apiKey} onChange={setApiKey} />
      <TrackingSnippetTabs target={trackingTargetOf(window.location, apiKey)} />
    </Stack>
  );
}
