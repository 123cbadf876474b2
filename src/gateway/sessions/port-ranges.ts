/** Port sets written as `7000,9000-9100` (the allowed-ports settings, SPEC §5). */
export type PortRanges = readonly (readonly [number, number])[];

export function parsePortRanges(text: string): PortRanges {
  const ranges: [number, number][] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!(lo >= 0 && hi <= 65535 && lo <= hi)) throw new Error(`'${part}' is not a port or a range of ports like 9000-9100 (0–65535)`);
    ranges.push([lo, hi]);
  }
  if (ranges.length === 0) throw new Error('no ports given');
  return ranges;
}

export function inPortRanges(ranges: PortRanges, port: number): boolean {
  for (const [lo, hi] of ranges) if (port >= lo && port <= hi) return true;
  return false;
}
