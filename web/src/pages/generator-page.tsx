import { PageHeader } from '../components/page-header.tsx';

export function GeneratorPage() {
  return (
    <PageHeader
      title="Generator"
      description="A form to send realistic demo traffic (page views, sign-ups, purchases) to this tenant arrives with the generator work. For now, send batches with the tRPC mutation events.ingest (see the README), or load demo data with npm run db:seed."
    />
  );
}
