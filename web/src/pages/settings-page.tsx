import { Skeleton, Stack } from '@mantine/core';
import { ErrorAlert } from '../components/error-alert.tsx';
import { MembershipCard } from '../components/membership-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PlanSetting } from '../components/plan-setting.tsx';
import { RetentionSetting } from '../components/retention-setting.tsx';
import { usePermission } from '../hooks/use-permission.ts';
import { useTenantSettings } from '../hooks/use-tenant-settings.ts';

export function SettingsPage() {
  const { settings, setRetention, setPlan } = useTenantSettings();
  const managePlan = usePermission('managePlan');
  const manageRetention = usePermission('manageRetention');
  const current = settings.data;
  return (
    <Stack gap="lg">
      <PageHeader title="Settings" description="This tenant's plan and how long it keeps its events." />
      {settings.isError && !current ? <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {current ? (
        <>
          <PlanSetting
            // A saved change starts the form over from what the server answered.
            key={current.plan}
            plan={current.plan}
            check={managePlan}
            onSave={(plan) => setPlan.mutate({ plan })}
            saving={setPlan.isPending}
            error={setPlan.error}
          />
          <RetentionSetting
            key={`${current.retentionDays}-${current.retentionIsPlanMaximum}`}
            settings={current}
            check={manageRetention}
            onSave={(retentionDays) => setRetention.mutate({ retentionDays })}
            saving={setRetention.isPending}
            error={setRetention.error}
          />
        </>
      ) : settings.isPending ? (
        <Skeleton height={240} />
      ) : null}
      <MembershipCard />
    </Stack>
  );
}
