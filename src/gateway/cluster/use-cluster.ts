/**
 * Several gateways (SPEC §8), wired into one instance when ARCHWAY_REDIS_URL is set: the session
 * directory (made before the session registry, which claims names in it), the routing hooks, the
 * forwarder, and their lifecycle — registered when the server listens (the address the other
 * instances reach is known then), gone from the directory when it closes. Nothing of this exists
 * with one gateway: `npm start` has no hook, no Redis, no extra await per request.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import type { GatewayMetrics } from '../plugins/gateway-metrics.js';
import { selfUrl } from '../self-url.js';
import { clusterListing } from './cluster-listing.js';
import { clusterRouting } from './cluster-routing.js';
import { ticketRouting } from './ticket-routing.js';
import { UpgradeForwarder } from './upgrade-forwarder.js';
import { OwnerForwarder } from './owner-forwarder.js';
import { SessionDirectory } from './session-directory.js';

/** The directory of this instance, or none when it runs alone. */
export function sessionDirectory(config: Config): SessionDirectory | undefined {
  if (config.redisUrl === '') return undefined;
  return new SessionDirectory({ redisUrl: config.redisUrl, instance: config.instance, heartbeatMs: config.heartbeatMs, leaseMs: config.leaseMs });
}

/** ARCHWAY_ADVERTISE_URL, or this server's own address as it listens. */
function advertised(app: FastifyInstance, config: Config): string {
  return config.advertiseUrl !== '' ? config.advertiseUrl.replace(/\/+$/, '') : selfUrl(app, config);
}

export interface ClusterParts {
  config: Config;
  sessions: SessionRegistry;
  metrics: GatewayMetrics;
  directory: SessionDirectory;
}

/** Connects to Redis (start-up fails when it cannot) and installs routing; call after the auth hook. */
export async function useCluster(app: FastifyInstance, { config, sessions, metrics, directory }: ClusterParts): Promise<void> {
  await directory.connect();
  const forwarder = new OwnerForwarder({
    answerWithinMs: config.maxTimeoutMs + config.requestTimeoutMs,
    // An owner that takes longer to accept a connection than its lease is dead to the directory anyway.
    connectWithinMs: Math.min(config.connectTimeoutMs, config.leaseMs),
    registry: metrics.registry,
  });
  clusterListing(app, { sessions, directory, forwarder });
  const upgrades = new UpgradeForwarder(Math.min(config.connectTimeoutMs, config.leaseMs));
  clusterRouting(app, { sessions, directory, forwarder, upgrades });
  ticketRouting(app, { sessions, directory, forwarder });
  app.addHook('onListen', async () => {
    await directory.start(advertised(app, config), {
      names: () => sessions.names(),
      evict: (name) => void sessions.remove(name).catch(() => undefined),
    }, app.log);
  });
  app.addHook('preClose', async () => {
    forwarder.endStreams();
    upgrades.close();
  });
  app.addHook('onClose', async () => forwarder.close());
}
