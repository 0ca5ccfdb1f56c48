/**
 * Small seeded PRNG (sfc32, seeded through splitmix32): fast, good enough for synthetic data,
 * and the same sequence on every platform, so the same seed gives byte-identical tables.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.float();
  }

  /** Uniform in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Normal(0, 1) by Box-Muller. */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Geometric count of successes before the first failure, mean p / (1 - p). */
  geometric(mean: number): number {
    const p = mean / (1 + mean);
    let n = 0;
    while (this.float() < p) n++;
    return n;
  }

  /**
   * Zipf-like rank in [0, size): P(rank r) ∝ 1 / (r + 1). Heavy-tailed, as OSM user activity
   * is (a few mappers close most notes, most users act once).
   */
  zipf(size: number): number {
    return Math.min(size - 1, Math.floor(Math.exp(this.float() * Math.log(size + 1))) - 1);
  }
}

/** A weighted table sampled in O(log n). */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(private readonly items: readonly T[], weight: (item: T) => number) {
    let sum = 0;
    for (const item of items) this.cumulative.push((sum += weight(item)));
    this.total = sum;
  }
  sample(random: Random): T {
    const x = random.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
