/**
 * A Lua script run by its SHA (EVALSHA), sent whole (EVAL) only when Redis does not know it yet —
 * after a Redis restart its script cache is empty. Typed, unlike ioredis' `defineCommand`.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class LuaScript {
  private readonly source: string;
  private readonly sha: string;

  constructor(source: string) {
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with no KEYS (see directory-scripts.ts for why) and these ARGV. */
  async run(redis: Redis, args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 0, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, 0, ...args);
    }
  }
}
