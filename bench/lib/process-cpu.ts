/**
 * CPU time of processes, from Linux's /proc (the benches run on Linux), so that a bench can say
 * where the machine's cores went per request: the load generator, the server and the service
 * behind it share the same few cores, and a ratio of requests/s is only fair read beside that.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts in clock ticks, 100 per second on Linux x86 and arm. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of `pid` so far, in microseconds (`process.cpuUsage` for this one). */
export function cpuMicros(pid: number): number {
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return u.user + u.system;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of stat
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

/**
 * Minor page faults of `pid` so far (field 10 of stat). Under gVisor a fault is handled by the
 * sandbox's kernel at a cost of tens of µs: a server that takes one per request shows it in its CPU.
 */
export function minorFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

/** Starts counting minor page faults of the named processes; the result gives each one's count since. */
export function faultsSince(pids: Readonly<Record<string, number>>): () => Record<string, number> {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, minorFaults(pid)]));
  return () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, minorFaults(pid) - start[name]!]));
}

/** Starts counting CPU time of the named processes; the result gives each one's use since. */
export function cpuSince(pids: Readonly<Record<string, number>>): () => Record<string, number> {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  return () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid) - start[name]!]));
}
