import type { TScenarioName } from '@pulse/shared/scenarios';
import { cachePerformance } from './cache-performance.ts';
import { circuitBreaker } from './circuit-breaker.ts';
import { databaseOutage } from './database-outage.ts';
import { endToEnd } from './end-to-end.ts';
import { gracefulDegradation } from './graceful-degradation.ts';
import type { ScenarioDefinition } from './scenario-context.ts';
import { trafficSpike } from './traffic-spike.ts';

export const SCENARIO_DEFINITIONS: { [N in TScenarioName]: ScenarioDefinition<N> } = {
  'traffic-spike': trafficSpike,
  'circuit-breaker': circuitBreaker,
  'cache-performance': cachePerformance,
  'graceful-degradation': gracefulDegradation,
  'end-to-end': endToEnd,
  'database-outage': databaseOutage,
};
