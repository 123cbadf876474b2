/**
 * The session directory's operations, each one Lua script so that it is atomic in Redis (SPEC §8).
 * The keys, under one prefix (ARGV[1]):
 * - `lease:<owner>` — the owner's internal URL, expiring `leaseMs` after its last heartbeat;
 * - `session:<name>` — the owner of a session name (no expiry of its own: the name is free once
 *   its owner's lease is gone, and is removed when the owner closes it or is forgotten);
 * - `names:<owner>` — the names an owner holds (to forget them with it);
 * - `owners` — every owner by the Redis time of its last heartbeat (to forget the dead ones);
 * - `epoch` — the Redis time when this dataset got its first directory write. A Redis that
 *   restarted without its data is "rebuilding" for one lease: every live instance re-registers its
 *   names within a heartbeat, and until one lease has passed no name is handed out or said not to
 *   exist, so a name cannot be given twice and no live session is reported missing.
 * An owner is one process run (`<instance>.<random>`), so a restarted gateway never inherits the
 * names of its previous run. Keys are computed in the scripts from names they read, so the
 * directory needs one Redis (a primary), not Redis Cluster.
 */
import { LuaScript } from './lua-script.js';

/** Every key of the directory starts with this (another cluster on the same Redis: another db). */
export const KEY_PREFIX = 'archway:';
/**
 * The dataset's epoch. A launcher that starts Redis empty together with the gateways, before any
 * of them, may set it to 0 (no instance has names to register again): no rebuilding window then.
 */
export const EPOCH_KEY = `${KEY_PREFIX}epoch`;

const PRELUDE = `
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function rebuilding(now, window)
  local epoch = redis.call('GET', P .. 'epoch')
  if not epoch then return true end
  return now - tonumber(epoch) < window
end
local function alive(owner)
  return redis.call('EXISTS', P .. 'lease:' .. owner) == 1
end
local function take(name, me)
  local key = P .. 'session:' .. name
  local owner = redis.call('GET', key)
  if owner and owner ~= me then
    if alive(owner) then return false end
    redis.call('SREM', P .. 'names:' .. owner, name)
  end
  redis.call('SET', key, me)
  redis.call('SADD', P .. 'names:' .. me, name)
  return true
end
`;

/**
 * ARGV: prefix, owner, url, leaseMs, retentionMs → 1 when the lease was still there, 0 when it had
 * to be made anew (first start, expired, or Redis lost its data: the caller re-registers its names).
 * Also forgets owners silent for retentionMs (a few per beat), with the names still theirs.
 */
export const HEARTBEAT = new LuaScript(`${PRELUDE}
local me, url, lease, retention = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_ms()
if not redis.call('GET', P .. 'epoch') then redis.call('SET', P .. 'epoch', now) end
local had = redis.call('SET', P .. 'lease:' .. me, url, 'PX', lease, 'XX')
if not had then redis.call('SET', P .. 'lease:' .. me, url, 'PX', lease) end
redis.call('ZADD', P .. 'owners', now, me)
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', P .. 'owners', '-inf', now - retention, 'LIMIT', 0, 8)) do
  if not alive(dead) then
    for _, name in ipairs(redis.call('SMEMBERS', P .. 'names:' .. dead)) do
      if redis.call('GET', P .. 'session:' .. name) == dead then redis.call('DEL', P .. 'session:' .. name) end
    end
    redis.call('DEL', P .. 'names:' .. dead)
  end
  redis.call('ZREM', P .. 'owners', dead)
end
if had then return 1 end
return 0
`);

/**
 * ARGV: prefix, owner, name, leaseMs → 'OK' (the name is the owner's now), 'TAKEN' (a live owner
 * holds it), 'REBUILDING', or 'NO_LEASE' (the claimer's own lease is gone: it must re-register).
 * A name whose owner's lease expired is free: it is taken over.
 */
export const CLAIM = new LuaScript(`${PRELUDE}
local me, name, lease = ARGV[2], ARGV[3], tonumber(ARGV[4])
if rebuilding(now_ms(), lease) then return 'REBUILDING' end
if not alive(me) then return 'NO_LEASE' end
if take(name, me) then return 'OK' end
return 'TAKEN'
`);

/**
 * ARGV: prefix, owner, name… → the names a live owner took meanwhile. Re-registration after the
 * owner's lease was made anew: no rebuilding window (this is what the window waits for).
 */
export const RECLAIM = new LuaScript(`${PRELUDE}
local me = ARGV[2]
local lost = {}
for i = 3, #ARGV do
  if not take(ARGV[i], me) then lost[#lost + 1] = ARGV[i] end
end
return lost
`);

/** ARGV: prefix, owner, name… → 1. Only names still the owner's are removed. */
export const RELEASE = new LuaScript(`${PRELUDE}
local me = ARGV[2]
for i = 3, #ARGV do
  local key = P .. 'session:' .. ARGV[i]
  if redis.call('GET', key) == me then redis.call('DEL', key) end
  redis.call('SREM', P .. 'names:' .. me, ARGV[i])
end
return 1
`);

/**
 * ARGV: prefix, name, leaseMs → {'UP', owner, url}, {'DOWN', owner} (its lease is gone),
 * {'NONE'}, or {'REBUILDING'} (no such name, but the directory may not know all names yet).
 */
export const LOOKUP = new LuaScript(`${PRELUDE}
local name, lease = ARGV[2], tonumber(ARGV[3])
local owner = redis.call('GET', P .. 'session:' .. name)
if not owner then
  if rebuilding(now_ms(), lease) then return {'REBUILDING'} end
  return {'NONE'}
end
local url = redis.call('GET', P .. 'lease:' .. owner)
if not url then return {'DOWN', owner} end
return {'UP', owner, url}
`);

/** ARGV: prefix, leaseMs → {owner, url, owner, url…} of the live owners, or {'REBUILDING'}. */
export const MEMBERS = new LuaScript(`${PRELUDE}
if rebuilding(now_ms(), tonumber(ARGV[2])) then return {'REBUILDING'} end
local out = {}
for _, owner in ipairs(redis.call('ZRANGE', P .. 'owners', 0, -1)) do
  local url = redis.call('GET', P .. 'lease:' .. owner)
  if url then
    out[#out + 1] = owner
    out[#out + 1] = url
  end
end
return out
`);

/** ARGV: prefix, owner → 1. A clean stop: the owner's lease, names and entry go at once. */
export const LEAVE = new LuaScript(`${PRELUDE}
local me = ARGV[2]
for _, name in ipairs(redis.call('SMEMBERS', P .. 'names:' .. me)) do
  if redis.call('GET', P .. 'session:' .. name) == me then redis.call('DEL', P .. 'session:' .. name) end
end
redis.call('DEL', P .. 'names:' .. me, P .. 'lease:' .. me)
redis.call('ZREM', P .. 'owners', me)
return 1
`);
