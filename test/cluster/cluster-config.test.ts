/** The settings of several gateways (SPEC §8): checked at start, named as the user gave them. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/gateway/index.js';

const fails = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    loadConfig(argv, env);
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('cluster settings', () => {
  it('are off by default: one gateway, no Redis', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ redisUrl: '', advertiseUrl: '', heartbeatMs: 1000, leaseMs: 5000 });
  });

  it('take a Redis URL and this instance\'s address from flags or the environment', () => {
    const config = loadConfig(['--redis-url', 'redis://127.0.0.1:6390/2', '--lease-ms', '3000'], { ARCHWAY_ADVERTISE_URL: 'http://127.0.0.1:8081', ARCHWAY_HEARTBEAT_MS: '500' });
    expect(config).toMatchObject({ redisUrl: 'redis://127.0.0.1:6390/2', advertiseUrl: 'http://127.0.0.1:8081', heartbeatMs: 500, leaseMs: 3000 });
  });

  it('refuse what would not work, naming the setting', () => {
    expect(fails(['--redis-url', 'http://127.0.0.1:6379'])).toMatch(/^--redis-url: .* is not a redis:\/\/host:port or rediss:\/\/host:port URL/);
    expect(fails([], { ARCHWAY_ADVERTISE_URL: 'localhost:8080' })).toMatch(/^ARCHWAY_ADVERTISE_URL: /);
    expect(fails(['--redis-url', 'redis://127.0.0.1:6379', '--heartbeat-ms', '1000', '--lease-ms', '1500'])).toMatch(/^--lease-ms: leaseMs 1500 must be at least twice heartbeatMs 1000/);
    expect(fails(['--redis-url', 'redis://127.0.0.1:6379', '--host', '0.0.0.0'])).toMatch(/^ARCHWAY_ADVERTISE_URL: set it when ARCHWAY_HOST is 0.0.0.0/);
    expect(fails(['--host', '0.0.0.0', '--redis-url', 'redis://127.0.0.1:6379', '--advertise-url', 'http://10.0.0.11:8080'])).toBe('no error');
  });
});
