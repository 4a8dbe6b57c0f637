import type { TEventMatch } from '@pulse/shared/event-match';
import {
  MAX_GOALS,
  type TCreateGoalRequest,
  type TGoal,
  type TGoalsReportRequest,
  type TGoalsReportResponse,
  type TUpdateGoalRequest,
} from '@pulse/shared/goals';
import { AppError } from '../errors/app-error.ts';
import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import type { GoalRecord, GoalRepository } from '../repositories/goal-repository.ts';
import type { GoalReportRepository } from '../repositories/goal-report-repository.ts';
import type { CachedAnswers } from './cached-answers.ts';

/**
 * Goals: a tenant's named conversions (at most MAX_GOALS), and the report of how many events and visitors
 * reached each. The report is cached like every dashboard answer; its key holds the goals' definitions, so
 * editing a goal asks a new question instead of serving the old goal's numbers.
 */
export class GoalService {
  /** Each tenant's goals as last read here: with the database out, a cached report can still be found by them. */
  private readonly lastKnownGoals = new Map<number, TGoal[]>();

  constructor(
    private readonly goals: GoalRepository,
    private readonly reports: Pick<GoalReportRepository, 'counts'>,
    private readonly answers: CachedAnswers,
  ) {}

  async list(tenantId: number): Promise<TGoal[]> {
    const goals = (await this.goals.listForTenant(tenantId)).map(toGoal);
    this.lastKnownGoals.set(tenantId, goals);
    return goals;
  }

  async create(tenantId: number, request: TCreateGoalRequest): Promise<TGoal> {
    const created = await this.goals.createUnlessAtLimit(tenantId, request, MAX_GOALS);
    // The same refusal as a board past its plan's limit: a quota, not a conflict with some other write.
    if (!created) throw new AppError('FORBIDDEN', `this tenant already has ${MAX_GOALS} goals, the most any plan allows; delete one before adding another`);
    return toGoal(created);
  }

  async update(tenantId: number, request: TUpdateGoalRequest): Promise<TGoal> {
    const { id, ...changes } = request;
    const updated = await this.goals.update(tenantId, id, changes);
    if (!updated) throw noSuchGoal(id);
    return toGoal(updated);
  }

  async delete(tenantId: number, id: number): Promise<{ id: number; deleted: true }> {
    if (!(await this.goals.delete(tenantId, id))) throw noSuchGoal(id);
    return { id, deleted: true };
  }

  /** Every goal's conversions, visitors and rate over [from, to) (defined in shared/src/goals.ts). */
  async report(tenantId: number, request: TGoalsReportRequest): Promise<TGoalsReportResponse> {
    const goals = await this.currentGoals(tenantId);
    const filters = request.filters ?? [];
    const from = new Date(request.from);
    const to = new Date(request.to);
    const question = { from: request.from, to: request.to, ...(filters.length > 0 ? { filters } : {}), goals };
    return this.answers.answer(tenantId, 'goals', question, { from, to }, 1, async () => {
      const counts = await this.reports.counts(
        tenantId,
        { from, to },
        goals.map((goal) => goal.match),
        filters,
      );
      return {
        visitors: counts.visitors,
        goals: goals.map((goal, index) => {
          const { conversions, visitors } = counts.goals[index]!;
          return { id: goal.id, name: goal.name, conversions, visitors, rate: counts.visitors === 0 ? 0 : visitors / counts.visitors };
        }),
      };
    });
  }

  /** The tenant's goals now; while the database is out, those last read here (nobody can change them meanwhile). */
  private async currentGoals(tenantId: number): Promise<TGoal[]> {
    try {
      return await this.list(tenantId);
    } catch (error) {
      const lastKnown = this.lastKnownGoals.get(tenantId);
      if (error instanceof DependencyUnavailableError && lastKnown) return lastKnown;
      throw error;
    }
  }
}

/** `match` was checked against ZEventMatch before it was stored. */
const toGoal = (record: GoalRecord): TGoal => ({ id: record.id, name: record.name, match: record.match as TEventMatch });

const noSuchGoal = (id: number) => new AppError('NOT_FOUND', `this tenant has no goal with id ${id}`);
