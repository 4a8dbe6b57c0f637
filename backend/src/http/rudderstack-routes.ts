import type { RequestHandler } from 'express';
import type { Services } from '../runtime.ts';
import { writeKeyOf } from './sender.ts';

/**
 * RudderStack's browser SDK reads its source's configuration from `{configUrl}/sourceConfig/` before it sends
 * anything. Pointed at this server, it learns of an enabled source with no device-mode destinations, so it
 * sends every event here and loads nothing else. (Its events then go to /v1, its beacons to /beacon/v1/batch.)
 */
export function rudderStackSourceConfig(services: Services): RequestHandler {
  return async (req, res) => {
    const writeKey = writeKeyOf(req);
    const caller = { apiKey: writeKey, clientAddress: req.ip ?? 'unknown' };
    const { tenant } = await services.access.authenticate(caller, 'ingest');
    res.set('Cache-Control', 'private, max-age=300').json({
      isHosted: false,
      source: { id: `pulse-${tenant.id}`, name: tenant.name, writeKey, workspaceId: 'pulse', enabled: true, config: {}, destinations: [] },
    });
  };
}
