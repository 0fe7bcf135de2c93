/**
 * Decompositions of a modelled change into driver contributions. Each takes the drivers'
 * aggregates in the base and new frames, whose product (with powers) is the modelled metric,
 * and returns contributions that add up to the modelled change exactly.
 */

/** The logarithmic mean L(a, b) = (a - b) / ln(a / b), with L(a, a) = a. */
export function logMean(a: number, b: number): number {
  if (a === b) return a;
  return (a - b) / Math.log(a / b);
}

/**
 * Additive LMDI-I: contribution_k = L(Y_new, Y_base) · ln(x_k,new / x_k,base) · power_k.
 * Exact when Y = Π x_k^power_k; needs every aggregate positive (returns null otherwise).
 */
export function lmdi(base: number[], next: number[], powers: number[]): number[] | null {
  if ([...base, ...next].some((v) => !(v > 0) || !Number.isFinite(v))) return null;
  const product = (xs: number[]) => xs.reduce((acc, x, i) => acc * x ** powers[i]!, 1);
  const w = logMean(product(next), product(base));
  return base.map((b, i) => w * Math.log(next[i]! / b) * powers[i]!);
}

/**
 * Shapley decomposition: each driver's average marginal effect over every order in which the
 * drivers can change from base to new. Exact for any values (zeros and negatives included).
 */
export function shapley(base: number[], next: number[], powers: number[]): number[] {
  const k = base.length;
  const value = (mask: number) => base.reduce((acc, b, i) => acc * ((mask >> i) & 1 ? next[i]! : b) ** powers[i]!, 1);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const out = new Array<number>(k).fill(0);
  for (let mask = 0; mask < 1 << k; mask++) {
    const size = popcount(mask);
    for (let j = 0; j < k; j++) {
      if ((mask >> j) & 1) continue;
      const weight = (fact(size) * fact(k - size - 1)) / fact(k);
      out[j]! += weight * (value(mask | (1 << j)) - value(mask));
    }
  }
  return out;
}

function popcount(n: number): number {
  let c = 0;
  for (let m = n; m; m &= m - 1) c++;
  return c;
}

/**
 * The seed's split: each driver's share of the summed log ratios, times the explained percent
 * (log ratio 0 when either side is not positive; divisors count negatively).
 */
export function seedShares(base: number[], next: number[], powers: number[], explainedPct: number): number[] {
  const logs = base.map((b, i) => (b > 0 && next[i]! > 0 ? Math.log(next[i]! / b) * powers[i]! : 0));
  const total = logs.reduce((a, b) => a + b, 0);
  return logs.map((l) => (Math.abs(total) <= 1e-12 ? 0 : (l / total) * explainedPct));
}
