/**
 * Minimum-cost maximum flow by successive shortest paths (Dijkstra with Johnson potentials).
 *
 * Why a flow network rather than a plain assignment solver: the planner needs (a) capacities
 * (a team of six takes six people), (b) convex costs through parallel arcs (the third cadre from
 * the same office in one team costs more than the second), and (c) the residual graph after the
 * last augmentation, whose source side is a minimum cut — the certificate the planner turns into
 * "this is the constraint that makes a plan impossible" (Hall's theorem / max-flow min-cut).
 *
 * All arc costs must be non-negative integers, so the first Dijkstra needs no Bellman-Ford pass.
 * Deterministic: arcs are scanned in a fixed order and ties keep the first label found.
 */
export class FlowNetwork {
  private readonly headList: number[];
  private nextList: number[] = [];
  private toList: number[] = [];
  private capList: number[] = [];
  private costList: number[] = [];
  /** Typed copies made by `solve` (and kept for `flowOn` / `residualReach`). */
  private head = new Int32Array(0);
  private next = new Int32Array(0);
  private to = new Int32Array(0);
  private cap = new Int32Array(0);
  private cost = new Float64Array(0);
  private frozen = false;

  constructor(readonly nodeCount: number) {
    this.headList = new Array<number>(nodeCount).fill(-1);
  }

  /** Adds an arc and its residual twin; returns the arc's id (for `flowOn`). */
  addArc(from: number, to: number, capacity: number, cost = 0): number {
    if (this.frozen) throw new Error("network already solved");
    if (!(cost >= 0) || !Number.isSafeInteger(cost)) throw new Error("arc cost must be >= 0");
    if (!(capacity >= 0) || capacity > 0x7fffffff || !Number.isInteger(capacity))
      throw new Error("bad capacity");
    const id = this.toList.length;
    this.pushArc(from, to, capacity, cost);
    this.pushArc(to, from, 0, -cost);
    return id;
  }

  private pushArc(from: number, to: number, capacity: number, cost: number): void {
    this.toList.push(to);
    this.capList.push(capacity);
    this.costList.push(cost);
    this.nextList.push(this.headList[from]!);
    this.headList[from] = this.toList.length - 1;
  }

  private freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    this.head = Int32Array.from(this.headList);
    this.next = Int32Array.from(this.nextList);
    this.to = Int32Array.from(this.toList);
    this.cap = Int32Array.from(this.capList);
    this.cost = Float64Array.from(this.costList);
  }

  /** Flow currently on arc `id` (the capacity its twin holds). */
  flowOn(id: number): number {
    this.freeze();
    return this.cap[id ^ 1]!;
  }

  /**
   * Pushes as much flow as possible from `source` to `sink` (at most `limit`) at minimum total
   * cost among maximum flows.
   */
  solve(source: number, sink: number, limit = Number.MAX_SAFE_INTEGER): FlowResult {
    this.freeze();
    const n = this.nodeCount;
    const potential = new Float64Array(n);
    const dist = new Float64Array(n);
    const viaArc = new Int32Array(n);
    const done = new Uint8Array(n);
    // Dense graphs (a full district × team matrix) are faster with an O(V²) scan than a heap.
    const dense = this.to.length * Math.log2(n + 1) > n * n;
    const heap = new MinHeap();
    let flow = 0;
    let cost = 0;
    while (flow < limit) {
      dist.fill(Infinity);
      viaArc.fill(-1);
      dist[source] = 0;
      if (dense) this.dijkstraDense(source, potential, dist, viaArc, done);
      else this.dijkstraHeap(source, potential, dist, viaArc, heap);
      if (dist[sink] === Infinity) break;
      // Nodes not reached now stay unreachable for good (their in-arcs stay saturated), so
      // leaving their potential unchanged keeps every reduced cost that matters non-negative.
      for (let v = 0; v < n; v++) if (dist[v]! < Infinity) potential[v]! += dist[v]!;
      let push = limit - flow;
      for (let v = sink; v !== source; v = this.to[viaArc[v]! ^ 1]!) {
        push = Math.min(push, this.cap[viaArc[v]!]!);
      }
      for (let v = sink; v !== source; v = this.to[viaArc[v]! ^ 1]!) {
        const e = viaArc[v]!;
        this.cap[e]! -= push;
        this.cap[e ^ 1]! += push;
        cost += push * this.cost[e]!;
      }
      flow += push;
    }
    return { flow, cost };
  }

  /** Relaxes u's residual arcs with reduced costs; returns nothing, reports improvements. */
  private relax(
    u: number,
    potential: Float64Array,
    dist: Float64Array,
    viaArc: Int32Array,
    heap: MinHeap | null,
  ): void {
    const du = dist[u]! + potential[u]!;
    const { head, next, to, cap, cost } = this;
    for (let e = head[u]!; e !== -1; e = next[e]!) {
      if (cap[e]! <= 0) continue;
      const v = to[e]!;
      const nd = du + cost[e]! - potential[v]!;
      if (nd < dist[v]!) {
        dist[v] = nd;
        viaArc[v] = e;
        heap?.push(nd, v);
      }
    }
  }

  private dijkstraHeap(
    source: number,
    potential: Float64Array,
    dist: Float64Array,
    viaArc: Int32Array,
    heap: MinHeap,
  ): void {
    heap.clear();
    heap.push(0, source);
    while (heap.size > 0) {
      const [d, u] = heap.pop();
      if (d > dist[u]!) continue;
      this.relax(u, potential, dist, viaArc, heap);
    }
  }

  private dijkstraDense(
    source: number,
    potential: Float64Array,
    dist: Float64Array,
    viaArc: Int32Array,
    done: Uint8Array,
  ): void {
    done.fill(0);
    const n = this.nodeCount;
    for (let u = source; u !== -1;) {
      done[u] = 1;
      this.relax(u, potential, dist, viaArc, null);
      let best = -1;
      let bestDist = Infinity;
      for (let v = 0; v < n; v++) {
        if (done[v] === 0 && dist[v]! < bestDist) {
          bestDist = dist[v]!;
          best = v;
        }
      }
      u = best;
    }
  }

  /**
   * Nodes reachable from `source` through arcs with spare capacity, never entering `blocked`.
   * From the flow's source this is the source side of a minimum cut; from an unmatched node of a
   * bipartite matching (blocking source and sink) it is that node's alternating-path component.
   */
  residualReach(source: number, blocked: ReadonlySet<number> = new Set()): boolean[] {
    this.freeze();
    const seen = new Array<boolean>(this.nodeCount).fill(false);
    for (const b of blocked) seen[b] = true;
    const stack = [source];
    seen[source] = true;
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > 0 && !seen[v]) {
          seen[v] = true;
          stack.push(v);
        }
      }
    }
    for (const b of blocked) seen[b] = b === source;
    return seen;
  }
}

export interface FlowResult {
  flow: number;
  cost: number;
}

/** Binary heap of (priority, node) pairs; stale entries are skipped by the caller. */
class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }

  push(key: number, value: number): void {
    const k = this.keys;
    const v = this.values;
    let i = k.length;
    k.push(key);
    v.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! <= key) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = value;
  }

  pop(): [number, number] {
    const k = this.keys;
    const v = this.values;
    const top: [number, number] = [k[0]!, v[0]!];
    const lastKey = k.pop()!;
    const lastValue = v.pop()!;
    const n = k.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && k[r]! < k[l]! ? r : l;
        if (k[c]! >= lastKey) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lastKey;
      v[i] = lastValue;
    }
    return top;
  }
}
