/**
 * Delivers webhooks: signs each attempt with the provider's signer, retries with exponential backoff (in
 * sandbox time, so advancing the clock makes retries due), and, in chaos mode, sends some deliveries twice
 * and shuffles what is due so events arrive out of order. The queue is persisted so it survives a restart.
 */
import { randomUUID } from 'node:crypto';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  OutboundWebhook,
  ProviderName,
  SandboxClock,
  SandboxSettings,
  WebhookDeliverer,
  WebhookSigner,
} from './contracts';
import type { JsonFileStore } from './persistence';

/** A signer may also look at the webhook it signs (e.g. to pick a per-endpoint secret). */
export type DeliverySigner = (body: string, attemptAtMs: number, webhook?: OutboundWebhook) => Record<string, string>;

interface QueuedDelivery extends DeliveryRecord {
  body: string;
  endpointId?: string;
}

export interface DelivererOptions {
  clock: SandboxClock;
  chaos: () => SandboxSettings['chaos'];
  store?: JsonFileStore;
  random?: () => number;
  /** Delay before attempt n+1 after n failures; stop once the first attempt is older than giveUpAfterMs. */
  backoffMs?: (failures: number) => number;
  giveUpAfterMs?: number;
  timeoutMs?: number;
  /** Wall clock used for signature timestamps (receivers check them against their own clock). */
  wallNow?: () => number;
}

export interface SandboxDeliverer extends WebhookDeliverer {
  registerSigner(provider: ProviderName, signer: WebhookSigner | DeliverySigner): void;
  /** Re-check what is due (after the clock moved). */
  poke(): void;
  close(): Promise<void>;
  /** The exact body of a delivery (for tests and the control surface). */
  body(id: string): string | undefined;
}

const STATE_FILE = 'deliveries';
/** Finished (delivered or failed) records kept for the control surface; older ones are dropped. */
const MAX_FINISHED = 2000;
export const defaultBackoffMs = (failures: number) => Math.min(1000 * 2 ** (failures - 1), 60 * 60 * 1000);
const THREE_DAYS_MS = 3 * 24 * 60 * 60 * 1000;

export function createDeliverer(options: DelivererOptions): SandboxDeliverer {
  const { clock, store } = options;
  const random = options.random ?? Math.random;
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const giveUpAfterMs = options.giveUpAfterMs ?? THREE_DAYS_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const wallNow = options.wallNow ?? (() => Date.now());
  const signers = new Map<ProviderName, DeliverySigner>();
  let queue: QueuedDelivery[] = store?.read<QueuedDelivery[]>(STATE_FILE) ?? [];
  let generation = 0;
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<void> | null = null;
  let closed = false;

  const persist = () => {
    const finished = queue.filter((d) => d.state !== 'pending');
    if (finished.length > MAX_FINISHED) {
      const drop = new Set(finished.slice(0, finished.length - MAX_FINISHED));
      queue = queue.filter((d) => !drop.has(d));
    }
    store?.write(STATE_FILE, queue);
  };
  const isDue = (d: QueuedDelivery) => d.state === 'pending' && d.nextAttemptAt !== null && d.nextAttemptAt <= clock.now();

  function schedule(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const next = queue
      .filter((d) => d.state === 'pending' && d.nextAttemptAt !== null)
      .reduce<number | null>((min, d) => (min === null || d.nextAttemptAt! < min ? d.nextAttemptAt! : min), null);
    if (next === null) return;
    const delay = Math.max(0, Math.min(next - clock.now(), 2 ** 31 - 1));
    timer = setTimeout(() => void drain(), delay);
    timer.unref?.();
  }

  function orderForChaos(due: QueuedDelivery[]): QueuedDelivery[] {
    if (!options.chaos().reorder || due.length < 2) return due;
    const shuffled = [...due];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    // Out of order means out of order: the events must not arrive in the order they were emitted.
    const firstSeen = (list: QueuedDelivery[]) => [...new Set(list.map((d) => d.eventId))];
    const original = firstSeen(due);
    if (original.length > 1 && firstSeen(shuffled).join() === original.join()) {
      const head = original[0];
      return [...shuffled.filter((d) => d.eventId !== head), ...shuffled.filter((d) => d.eventId === head)];
    }
    if (shuffled.every((d, i) => d === due[i])) shuffled.reverse();
    return shuffled;
  }

  async function attempt(delivery: QueuedDelivery, gen: number): Promise<void> {
    const signer = signers.get(delivery.provider);
    const startedWall = wallNow();
    const startedAt = clock.now();
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': `Sandbox/1.0 (${delivery.provider} webhooks)`,
      ...(signer ? signer(delivery.body, startedWall, toWebhook(delivery)) : {}),
    };
    const result: DeliveryAttempt = { at: startedAt, status: null, durationMs: 0 };
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      result.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      result.error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    result.durationMs = wallNow() - startedWall;
    if (gen !== generation) return; // reset while in flight
    delivery.attempts.push(result);
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (ok) {
      delivery.state = 'delivered';
      delivery.nextAttemptAt = null;
    } else {
      const nextAt = clock.now() + backoff(delivery.attempts.length);
      if (nextAt - delivery.attempts[0].at > giveUpAfterMs) {
        delivery.state = 'failed';
        delivery.nextAttemptAt = null;
      } else {
        delivery.nextAttemptAt = nextAt;
      }
    }
    persist();
  }

  async function drainOnce(): Promise<void> {
    while (!closed) {
      const due = queue.filter(isDue);
      if (due.length === 0) break;
      const gen = generation;
      for (const delivery of orderForChaos(due)) {
        if (closed || gen !== generation) return;
        await attempt(delivery, gen);
      }
    }
  }

  function drain(): Promise<void> {
    if (!draining) {
      draining = drainOnce().finally(() => {
        draining = null;
        schedule();
      });
    }
    return draining;
  }

  function toWebhook(d: QueuedDelivery): OutboundWebhook & { endpointId?: string } {
    return { provider: d.provider, eventId: d.eventId, eventType: d.eventType, url: d.url, body: d.body, endpointId: d.endpointId };
  }

  function publicRecord(d: QueuedDelivery): DeliveryRecord {
    const { body: _body, endpointId: _endpointId, ...record } = d;
    return structuredClone(record);
  }

  function add(webhook: OutboundWebhook & { endpointId?: string }, duplicateOf?: string): QueuedDelivery {
    const record: QueuedDelivery = {
      id: `dlv_${randomUUID().replace(/-/g, '')}`,
      provider: webhook.provider,
      eventId: webhook.eventId,
      eventType: webhook.eventType,
      url: webhook.url,
      state: 'pending',
      attempts: [],
      nextAttemptAt: clock.now(),
      body: webhook.body,
      ...(webhook.endpointId ? { endpointId: webhook.endpointId } : {}),
      ...(duplicateOf ? { duplicateOf } : {}),
    };
    queue.push(record);
    return record;
  }

  // Resume what a previous run left pending.
  setImmediate(() => schedule());

  return {
    enqueue(webhook) {
      if (closed) return;
      const original = add(webhook);
      const rate = options.chaos().duplicateRate;
      if (rate > 0 && random() < rate) add(webhook, original.id);
      persist();
      // Let the rest of the current request enqueue too, so chaos can reorder a request's events.
      setImmediate(() => void drain());
    },
    list(filter = {}) {
      return queue
        .filter((d) => (filter.provider ? d.provider === filter.provider : true))
        .filter((d) => (filter.eventId ? d.eventId === filter.eventId : true))
        .map(publicRecord);
    },
    async flush() {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (draining || queue.some(isDue)) await drain();
    },
    reset() {
      generation++;
      queue = [];
      persist();
      schedule();
    },
    registerSigner(provider, signer) {
      signers.set(provider, signer as DeliverySigner);
    },
    poke() {
      void drain();
    },
    body(id) {
      return queue.find((d) => d.id === id)?.body;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await draining?.catch(() => undefined);
    },
  };
}
