/**
 * Memory of another process, from Linux's /proc (the benches run on Linux): resident set now and
 * at its peak (VmHWM), in bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface ProcessMemory {
  rss: number;
  peakRss: number;
}

export const MiB = 1024 * 1024;

export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    if (m === null) throw new Error(`/proc/${pid}/status has no ${key}`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
}

/** Resets the peak (VmHWM) to the current RSS, so a later peak belongs to what ran since. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // "5": reset the peak RSS (Linux ≥ 4.0)
    return true;
  } catch {
    return false; // not permitted: the peak then covers the process's whole life
  }
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** The open-file limit of processes started from here (`ulimit -n`, inherited by children). */
export async function fileLimit(): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}
