import { describeMatch } from '@pulse/shared/event-match';
import { ZFunnelRequest, type TFunnelRequest, type TFunnelResponse, type TFunnelStep } from '@pulse/shared/funnels';
import type { FunnelRepository, FunnelStepCount } from '../repositories/funnel-repository.ts';
import type { CachedAnswers } from './cached-answers.ts';

/**
 * Funnels (defined in shared/src/funnels.ts): the repository counts visitors per step and the median time
 * from the step before; drop-off and conversion follow from those counts here. Answers are cached like every
 * dashboard answer, retired by commits to the days of their range.
 */
export class FunnelService {
  constructor(
    private readonly funnels: Pick<FunnelRepository, 'funnel'>,
    private readonly answers: CachedAnswers,
  ) {}

  async funnel(tenantId: number, request: TFunnelRequest): Promise<TFunnelResponse> {
    // Parsed again so defaults are filled in whoever calls, and equal questions share one cache key.
    const question = ZFunnelRequest.parse(request);
    const from = new Date(question.from);
    const to = new Date(question.to);
    const labels = question.steps.map(describeMatch);
    return this.answers.answer(tenantId, 'funnel', question, { from, to }, 1, async () => {
      const counts = await this.funnels.funnel(tenantId, {
        from,
        to,
        steps: question.steps,
        windowSeconds: question.windowSeconds,
        filters: question.filters ?? [],
        breakdown: question.breakdown,
        limit: question.limit,
      });
      const steps = (stepCounts: FunnelStepCount[]) => funnelSteps(labels, stepCounts);
      return {
        windowSeconds: question.windowSeconds,
        steps: steps(counts.overall),
        ...(question.breakdown === undefined
          ? {}
          : { breakdown: { by: question.breakdown, rows: counts.byValue.map((row) => ({ value: row.value, steps: steps(row.steps) })) } }),
      };
    });
  }
}

function funnelSteps(labels: readonly string[], counts: readonly FunnelStepCount[]): TFunnelStep[] {
  const entrants = counts[0]?.visitors ?? 0;
  return counts.map((count, index) => ({
    label: labels[index]!,
    visitors: count.visitors,
    dropped: index === 0 ? 0 : counts[index - 1]!.visitors - count.visitors,
    conversion: entrants === 0 ? 0 : count.visitors / entrants,
    medianSecondsFromPrevious: index === 0 ? null : count.medianSeconds,
  }));
}
