/**
 * May this customer use feature X now, across all their subscriptions? The pure `canUseFeature`
 * (lib/billing/entitlements) answers for one subscription; this module asks it about each of the
 * customer's subscriptions and combines the answers: any one granting wins (a full grant before a
 * past-due grace), otherwise the refusal the customer can act on first. `featureAccess` loads the
 * subscriptions; `decideFeatureAccess` is the pure combination.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { customers, products, subscriptions } from '@/db/schema';
import { canUseFeature, type EntitlementDecision, type EpochMs, type SubscriptionStatus } from '@/lib/billing';
import { isUuid } from '@/lib/ids';

const DAY_MS = 86_400_000;

export interface EntitlementSettings {
  /** PAST_DUE_GRACE_DAYS: whole days a past-due subscription keeps access, from `pastDueSince`. */
  readonly pastDueGraceDays: number;
}

export const gracePeriodMs = (settings: EntitlementSettings) => settings.pastDueGraceDays * DAY_MS;

/** One subscription as the check needs it: its state and its plan's features. */
export interface EntitledSubscription {
  readonly id: string;
  readonly productName: string;
  readonly features: readonly string[];
  readonly status: SubscriptionStatus;
  readonly pastDueSince: EpochMs | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly currentPeriodEnd: EpochMs;
  readonly createdAt: EpochMs;
}

export type EntitlementReason = EntitlementDecision['reason'];

export interface FeatureAccess {
  readonly feature: string;
  readonly allowed: boolean;
  readonly reason: EntitlementReason;
  /** The subscription that grants access, or the one the refusal is about; null with `no_subscription`. */
  readonly subscriptionId: string | null;
  readonly productName: string | null;
  /** For `past_due_*` reasons: since when payments fail, and when the grace period ends (or ended). */
  readonly pastDueSince: EpochMs | null;
  readonly graceEndsAt: EpochMs | null;
}

/**
 * Which answer speaks for the customer, lowest first: a grant, then a refusal on a plan that has the
 * feature (paying or resuming restores it), then "not in your plan", then refusals on plans that
 * would not grant it anyway.
 */
const STATUS_REFUSAL_RANK: Partial<Record<EntitlementReason, number>> = { past_due_grace_expired: 0, unpaid: 1, paused: 2, canceled: 3 };

function rank(decision: EntitlementDecision, planHasFeature: boolean): number {
  if (decision.allowed) return decision.reason === 'past_due_within_grace' ? 1 : 0;
  if (decision.reason === 'feature_not_in_plan') return 20;
  const statusRank = STATUS_REFUSAL_RANK[decision.reason] ?? 0;
  return (planHasFeature ? 10 : 30) + statusRank;
}

/** A subscription set to end whose period is over has ended, even before the billing run marks it canceled. */
function effectiveStatus(sub: EntitledSubscription, now: EpochMs): SubscriptionStatus {
  return sub.cancelAtPeriodEnd && sub.status !== 'canceled' && now >= sub.currentPeriodEnd ? 'canceled' : sub.status;
}

/** The customer's answer for `feature` from all their subscriptions (pure: no IO, `now` passed in). */
export function decideFeatureAccess(subs: readonly EntitledSubscription[], feature: string, now: EpochMs, pastDueGracePeriodMs: number): FeatureAccess {
  let best: { access: FeatureAccess; rank: number; createdAt: EpochMs } | null = null;
  for (const sub of subs) {
    const status = effectiveStatus(sub, now);
    const decision = canUseFeature({ subscription: { status, pastDueSince: sub.pastDueSince }, planFeatures: sub.features, feature, now, pastDueGracePeriodMs });
    const pastDue = (decision.reason === 'past_due_within_grace' || decision.reason === 'past_due_grace_expired') && sub.pastDueSince !== null;
    const access: FeatureAccess = {
      feature,
      allowed: decision.allowed,
      reason: decision.reason,
      subscriptionId: sub.id,
      productName: sub.productName,
      pastDueSince: pastDue ? sub.pastDueSince : null,
      graceEndsAt: pastDue ? sub.pastDueSince! + pastDueGracePeriodMs : null,
    };
    const candidate = { access, rank: rank(decision, sub.features.includes(feature)), createdAt: sub.createdAt };
    // Equal ranks: the newest subscription speaks.
    if (!best || candidate.rank < best.rank || (candidate.rank === best.rank && candidate.createdAt > best.createdAt)) best = candidate;
  }
  if (best) return best.access;
  // No subscription: the pure function still checks the inputs and gives the reason.
  const none = canUseFeature({ subscription: null, planFeatures: [], feature, now, pastDueGracePeriodMs });
  return { feature, allowed: none.allowed, reason: none.reason, subscriptionId: null, productName: null, pastDueSince: null, graceEndsAt: null };
}

export type EntitlementOwner = { userId: string } | { customerId: string };

/**
 * The customer's subscriptions with their plans' features: every live one, plus the latest canceled
 * one (so a former subscriber hears "canceled", not "no subscription") without reading all history.
 */
export async function entitledSubscriptions(db: DbOrTx, owner: EntitlementOwner): Promise<EntitledSubscription[]> {
  if ('customerId' in owner && !isUuid(owner.customerId)) return [];
  const customerId = 'customerId' in owner ? owner.customerId : (await db.select({ id: customers.id }).from(customers).where(eq(customers.userId, owner.userId)))[0]?.id;
  if (!customerId) return [];
  const columns = {
    id: subscriptions.id,
    productName: products.name,
    features: products.features,
    status: subscriptions.status,
    pastDueSince: subscriptions.pastDueSince,
    cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
    currentPeriodEnd: subscriptions.currentPeriodEnd,
    createdAt: subscriptions.createdAt,
  };
  const base = () => db.select(columns).from(subscriptions).innerJoin(products, eq(products.id, subscriptions.productId));
  const [live, canceled] = await Promise.all([
    base().where(and(eq(subscriptions.customerId, customerId), ne(subscriptions.status, 'canceled'))),
    base()
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.status, 'canceled')))
      .orderBy(desc(subscriptions.createdAt))
      .limit(1),
  ]);
  return [...live, ...canceled].map(toEntitled);
}

export function toEntitled(row: { id: string; productName: string; features: string[]; status: SubscriptionStatus; pastDueSince: Date | null; cancelAtPeriodEnd: boolean; currentPeriodEnd: Date; createdAt: Date }): EntitledSubscription {
  return {
    id: row.id,
    productName: row.productName,
    features: row.features,
    status: row.status,
    pastDueSince: row.pastDueSince?.getTime() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    currentPeriodEnd: row.currentPeriodEnd.getTime(),
    createdAt: row.createdAt.getTime(),
  };
}

/** May this user's (or customer's) subscriptions use `feature` at `now`? */
export async function featureAccess(db: DbOrTx, owner: EntitlementOwner, feature: string, now: Date, settings: EntitlementSettings): Promise<FeatureAccess> {
  return decideFeatureAccess(await entitledSubscriptions(db, owner), feature, now.getTime(), gracePeriodMs(settings));
}

/** The longest feature key accepted: catalog features are short labels, and a query string is no place for essays. */
export const MAX_FEATURE_KEY_LENGTH = 200;

/** A feature key from a request: present, at most 200 characters, no control characters; surrounding spaces dropped. */
export function parseFeatureKey(raw: string | null): { ok: true; key: string } | { ok: false; error: string } {
  const key = raw?.trim() ?? '';
  if (key === '') return { ok: false, error: 'Name the feature to check: ?feature=KEY, a feature of a plan in the catalog.' };
  if (key.length > MAX_FEATURE_KEY_LENGTH) return { ok: false, error: `A feature key has at most ${MAX_FEATURE_KEY_LENGTH} characters.` };
  if (/[\u0000-\u001f\u007f]/.test(key)) return { ok: false, error: 'A feature key cannot contain control characters.' };
  return { ok: true, key };
}

/** The API's answer: `{ feature, allowed, reason, graceEndsAt?, subscriptionId? }`, instants as ISO 8601 (UTC). */
export function entitlementResponse(access: FeatureAccess) {
  return {
    feature: access.feature,
    allowed: access.allowed,
    reason: access.reason,
    ...(access.graceEndsAt === null ? {} : { graceEndsAt: new Date(access.graceEndsAt).toISOString() }),
    ...(access.subscriptionId === null ? {} : { subscriptionId: access.subscriptionId }),
  };
}
