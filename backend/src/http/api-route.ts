import type { Request, Response } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Criticality } from '../infra/load/load-monitor.ts';
import { procedureDefOf } from './trpc-router-internals.ts';

const RANK: Record<Criticality, number> = { sheddable: 0, default: 1, critical: 2 };

/** What the HTTP layer needs to know of an API call before running it. */
export interface ApiRoute {
  /** From the route (a tRPC procedure's `meta.criticality`; Segment ingestion is critical), never from the client. */
  criticality: Criticality;
  /** A live stream (a subscription) rather than one answer: it is neither work in flight nor held to a deadline. */
  isStream: boolean;
}

/** The request's API route; null for what is not an API call (health checks, metrics, the dashboard's files). */
export function apiRouteOf(req: Request, res: Response, router: AnyTRPCRouter): ApiRoute | null {
  // Looked up once per request: admission control and the deadline both ask.
  const known = res.locals.apiRoute as ApiRoute | null | undefined;
  if (known !== undefined) return known;
  const route = lookUp(req, router);
  res.locals.apiRoute = route;
  return route;
}

/** Segment's API and RudderStack's beacons: events from SDKs, which any web page may send (see corsPolicy). */
export function isIngestionPath(path: string): boolean {
  return path.startsWith('/v1/') || path.startsWith('/beacon/v1/');
}

function lookUp(req: Request, router: AnyTRPCRouter): ApiRoute | null {
  if (isIngestionPath(req.path)) return { criticality: 'critical', isStream: false };
  // CSV downloads are exports, whichever table: optional work, the first refused when the instance is busy.
  if (req.path.startsWith('/api/csv/')) return { criticality: 'sheddable', isStream: false };
  if (!req.path.startsWith('/trpc/')) return null;
  let paths: string[];
  try {
    paths = decodeURIComponent(req.path.slice('/trpc/'.length)).split(',');
  } catch {
    return { criticality: 'default', isStream: false };
  }
  const calls = paths.map((path) => procedureDefOf(router, path));
  // A batch is only as critical as its least critical call: a sheddable call cannot ride on an ingest.
  const criticality = calls.map((call) => call?.meta?.criticality ?? 'default').reduce((least, next) => (RANK[next] < RANK[least] ? next : least), 'critical');
  return { criticality, isStream: req.method === 'GET' && calls.length === 1 && calls[0]?.type === 'subscription' };
}
