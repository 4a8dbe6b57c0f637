import { PageHeader } from '../components/page-header.tsx';

export function HighLoadPage() {
  return (
    <PageHeader
      title="High-load demo"
      description="A guided load test that drives ingestion hard and charts throughput, latency, cache hits and rate limiting as it runs arrives with the high-load work. Nothing runs from this page yet."
    />
  );
}
