/**
 * `archway_request_duration_seconds`: a prom-client Histogram by route whose observations are
 * counted in arrays of its own and handed to prom-client only when scraped. prom-client's observe,
 * even on a bound child, rebuilds the label hash string and looks it up at every call: 6k of the
 * typed operation's 215k instructions per request (callgrind, under load); counting into the
 * route's array is a bucket search and three additions. The exposition is prom-client's own
 * (cumulative `_bucket` lines with `le`, then `_sum` and `_count`). Observations go in through
 * `recorder()` only: the inherited `observe()` writes to prom-client's map, which is not exposed.
 */
import { Histogram, type MetricValueWithName } from 'prom-client';

/** One route's counts: per bucket (not cumulative), the sum and the total. */
class RouteCounts {
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;
  constructor(n: number) {
    this.buckets = new Float64Array(n);
  }
}

export class RouteLatency extends Histogram<'route' | 'le'> {
  private readonly bounds: readonly number[];
  private readonly metric: string;
  private readonly helpText: string;
  private readonly routes = new Map<string, RouteCounts>();

  constructor(name: string, help: string, buckets: readonly number[], registers: NonNullable<ConstructorParameters<typeof Histogram>[0]['registers']>) {
    super({ name, help, labelNames: ['route'], buckets: [...buckets], registers });
    this.bounds = buckets;
    this.metric = name;
    this.helpText = help;
  }

  /** A function that records one request of `route`, in seconds (made once per route). */
  recorder(route: string): (seconds: number) => void {
    let counts = this.routes.get(route);
    if (counts === undefined) this.routes.set(route, (counts = new RouteCounts(this.bounds.length)));
    const c = counts;
    const bounds = this.bounds;
    return (seconds) => {
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      if (i < bounds.length) c.buckets[i]!++;
      c.sum += seconds;
      c.count++;
    };
  }

  /**
   * What the registry formats (prom-client's Registry asks for it when a metric has it; its own
   * Histogram builds it from its label hash map, and its `get()` calls this one too).
   */
  async getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: MetricValueWithName<'route' | 'le'>[] }> {
    return { name: this.metric, help: this.helpText, type: 'histogram', aggregator: 'sum', values: this.values() };
  }

  private values(): MetricValueWithName<'route' | 'le'>[] {
    const values: MetricValueWithName<'route' | 'le'>[] = [];
    for (const [route, c] of this.routes) {
      // As prom-client's: a route appears once it has been timed.
      if (c.count === 0) continue;
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += c.buckets[i]!;
        values.push({ metricName: `${this.metric}_bucket`, labels: { le, route }, value: cumulative });
      });
      values.push({ metricName: `${this.metric}_bucket`, labels: { le: '+Inf', route }, value: c.count });
      values.push({ metricName: `${this.metric}_sum`, labels: { route }, value: c.sum });
      values.push({ metricName: `${this.metric}_count`, labels: { route }, value: c.count });
    }
    return values;
  }

  /** Zeroes every route's counts in place (their recorders hold them). */
  override reset(): void {
    // prom-client's constructor calls reset() before this class's fields exist.
    const routes = this.routes as Map<string, RouteCounts> | undefined;
    for (const c of routes?.values() ?? []) {
      c.buckets.fill(0);
      c.sum = 0;
      c.count = 0;
    }
  }
}
