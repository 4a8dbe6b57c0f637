import { PageHeader } from '../components/page-header.tsx';

export function LivePage() {
  return (
    <PageHeader
      title="Live"
      description="The live stream arrives with the real-time work: events will appear here as they are ingested, pushed over a tRPC subscription, without reloading."
    />
  );
}
