import { PageHeader } from '../components/page-header.tsx';

export function EventsPage() {
  return (
    <PageHeader
      title="Events"
      description="A searchable, paginated list of stored events with their properties arrives with the event explorer work. Until then, the Overview shows counts per event type."
    />
  );
}
