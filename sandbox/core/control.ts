/**
 * The control surface under /_sandbox (JSON over HTTP) for tests and the README:
 *   GET  /_sandbox/health                       liveness and mounted providers
 *   POST /_sandbox/reset                        forget all state (providers, deliveries, clock offset)
 *   GET  /_sandbox/clock                        { now, nowSeconds, offsetSeconds }
 *   POST /_sandbox/clock/advance {seconds}      move sandbox time forward
 *   GET  /_sandbox/deliveries?provider=&eventId= webhook deliveries and their attempts
 *   GET  /_sandbox/deliveries/<id>              one delivery with the exact body sent
 *   POST /_sandbox/deliveries/flush             deliver everything due now, then answer
 *   GET|POST /_sandbox/chaos {duplicateRate, reorder}
 *   POST /_sandbox/<provider>/<action>          ProviderSandbox.control(action, body)
 * Anything else under /_sandbox/ is offered to the providers (pages such as test harnesses), then 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderName, ProviderSandbox, SandboxSettings } from './contracts';
import type { AdjustableClock } from './clock';
import type { SandboxDeliverer } from './deliverer';
import { CONTROL_PREFIX } from './defaults';
import { parseJsonObject, readBody, sendJson } from './http';
import type { JsonFileStore } from './persistence';

export class UnknownControlActionError extends Error {}

export interface ControlContext {
  settings: SandboxSettings;
  clock: AdjustableClock;
  deliverer: SandboxDeliverer;
  providers: () => ProviderSandbox[];
  store: JsonFileStore;
}

const CHAOS_FILE = 'chaos';

function controlError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { type: 'sandbox_error', message } });
}

/** Returns false when the path is not a control route (so providers may serve it). */
export async function handleControl(ctx: ControlContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const query = Object.fromEntries(url.searchParams);
  const body = async () => (method === 'GET' ? query : parseJsonObject(await readBody(req)));

  try {
    if (route === '/health' && method === 'GET') {
      sendJson(res, 200, { ok: true, origin: ctx.settings.origin, providers: ctx.providers().map((p) => p.name) });
      return true;
    }
    if (route === '/reset' && method === 'POST') {
      for (const provider of ctx.providers()) await provider.reset();
      ctx.deliverer.reset();
      ctx.clock.reset();
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (route === '/clock' && method === 'GET') {
      sendJson(res, 200, clockView(ctx.clock));
      return true;
    }
    if (route === '/clock/advance' && method === 'POST') {
      const { seconds } = await body();
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        controlError(res, 400, '`seconds` must be a non-negative number');
        return true;
      }
      ctx.clock.advance(seconds);
      ctx.deliverer.poke();
      sendJson(res, 200, clockView(ctx.clock));
      return true;
    }
    if (route === '/deliveries' && method === 'GET') {
      const provider = url.searchParams.get('provider') as ProviderName | null;
      const eventId = url.searchParams.get('eventId');
      sendJson(res, 200, {
        data: ctx.deliverer.list({ ...(provider ? { provider } : {}), ...(eventId ? { eventId } : {}) }),
      });
      return true;
    }
    const delivery = /^\/deliveries\/(dlv_[a-f0-9]+)$/.exec(route);
    if (delivery && method === 'GET') {
      const record = ctx.deliverer.list().find((d) => d.id === delivery[1]);
      if (!record) {
        controlError(res, 404, `no delivery ${delivery[1]}`);
        return true;
      }
      sendJson(res, 200, { ...record, body: ctx.deliverer.body(record.id) ?? null });
      return true;
    }
    if (route === '/deliveries/flush' && method === 'POST') {
      await ctx.deliverer.flush();
      sendJson(res, 200, { data: ctx.deliverer.list() });
      return true;
    }
    if (route === '/chaos') {
      if (method === 'POST') {
        const input = await body();
        const next = { ...ctx.settings.chaos };
        if ('duplicateRate' in input) {
          const rate = input.duplicateRate;
          if (typeof rate !== 'number' || rate < 0 || rate > 1) {
            controlError(res, 400, '`duplicateRate` must be a number from 0 to 1');
            return true;
          }
          next.duplicateRate = rate;
        }
        if ('reorder' in input) {
          if (typeof input.reorder !== 'boolean') {
            controlError(res, 400, '`reorder` must be a boolean');
            return true;
          }
          next.reorder = input.reorder;
        }
        ctx.settings.chaos = next;
        ctx.store.write(CHAOS_FILE, next);
      }
      sendJson(res, 200, ctx.settings.chaos);
      return true;
    }
    const match = /^\/(stripe|paypal)\/(.+)$/.exec(route);
    if (match && (method === 'POST' || method === 'GET')) {
      const provider = ctx.providers().find((p) => p.name === match[1]);
      if (!provider) {
        controlError(res, 404, `provider ${match[1]} is not mounted`);
        return true;
      }
      try {
        const result = await provider.control(match[2], await body());
        sendJson(res, 200, result ?? { ok: true });
      } catch (err) {
        if (err instanceof UnknownControlActionError) {
          controlError(res, 404, err.message);
          return true;
        }
        throw err;
      }
      return true;
    }
    return false;
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof TypeError) {
      controlError(res, 400, `invalid JSON body: ${err.message}`);
      return true;
    }
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 400;
    controlError(res, status, err instanceof Error ? err.message : String(err));
    return true;
  }
}

/** Chaos settings changed through the control surface survive a restart. */
export function restoreChaos(settings: SandboxSettings, store: JsonFileStore): void {
  const saved = store.read<SandboxSettings['chaos']>(CHAOS_FILE);
  if (saved) settings.chaos = { ...settings.chaos, ...saved };
}

function clockView(clock: AdjustableClock) {
  return { now: clock.now(), nowSeconds: clock.nowSeconds(), offsetSeconds: clock.offsetSeconds() };
}
