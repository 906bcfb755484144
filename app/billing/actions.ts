'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/guards';
import { CardUpdateError, cardUpdateMessage, completeCardUpdate, startCardUpdate } from '@/lib/customers/card-update';
import { log } from '@/lib/log';
import { addUsageAddOn } from '@/lib/usage/items';
import { getRuntime } from '@/lib/runtime';
import { SubscriptionActionError } from '@/lib/subscriptions/errors';
import { cancelScheduledChange, cancelSubscription, changeSubscription, manageDeps, resumeSubscription } from '@/lib/subscriptions/manage';

export interface SubscriptionActionState {
  error?: string;
  done?: string;
}

/** Cancel at the period end, cancel now, or resume: the portal's buttons. */
export async function subscriptionAction(_previous: SubscriptionActionState, form: FormData): Promise<SubscriptionActionState> {
  const user = await requireUser('/billing');
  const runtime = await getRuntime();
  const deps = manageDeps(runtime);
  const id = String(form.get('subscriptionId') ?? '');
  const action = String(form.get('action') ?? '');
  try {
    if (action === 'cancel_at_period_end') await cancelSubscription(deps, user.id, id, { atPeriodEnd: true }, new Date());
    else if (action === 'cancel_now') await cancelSubscription(deps, user.id, id, { atPeriodEnd: false }, new Date());
    else if (action === 'resume') await resumeSubscription(deps, user.id, id, new Date());
    else return { error: 'Unknown action.' };
  } catch (error) {
    if (error instanceof SubscriptionActionError) return { error: error.message };
    throw error;
  }
  revalidatePath('/billing');
  return { done: action === 'resume' ? 'Your subscription continues.' : action === 'cancel_now' ? 'Your subscription is canceled.' : 'Your subscription ends with its current period.' };
}

export interface ChangePlanState {
  error?: string;
}

/** Confirms a plan change the customer has just previewed; the server recomputes it, never trusting the page. */
export async function changePlanAction(_previous: ChangePlanState, form: FormData): Promise<ChangePlanState> {
  const user = await requireUser('/billing');
  const runtime = await getRuntime();
  const deps = manageDeps(runtime);
  try {
    await changeSubscription(deps, user.id, String(form.get('subscriptionId') ?? ''), { priceId: String(form.get('priceId') ?? ''), quantity: Number(form.get('quantity')) }, new Date());
  } catch (error) {
    if (error instanceof SubscriptionActionError) return { error: error.message };
    throw error;
  }
  revalidatePath('/billing');
  redirect('/billing?changed=1');
}

/** Keeps the current plan: takes back a change scheduled for the period end. */
export async function cancelScheduledChangeAction(_previous: SubscriptionActionState, form: FormData): Promise<SubscriptionActionState> {
  const user = await requireUser('/billing');
  const runtime = await getRuntime();
  try {
    await cancelScheduledChange(manageDeps(runtime), user.id, String(form.get('subscriptionId') ?? ''), new Date());
  } catch (error) {
    if (error instanceof SubscriptionActionError) return { error: error.message };
    throw error;
  }
  revalidatePath('/billing');
  return { done: 'The scheduled change is canceled: your plan renews as it is.' };
}

export type CardUpdateState = { error: string } | { clientSecret: string } | { done: string };

/** "Add a card": a SetupIntent for the browser's card form. */
export async function startCardUpdateAction(): Promise<CardUpdateState> {
  const user = await requireUser('/billing');
  const runtime = await getRuntime();
  try {
    return { clientSecret: (await startCardUpdate(runtime, user.id)).clientSecret };
  } catch (error) {
    log.warn('card update could not start', { error });
    return { error: 'The card form could not be prepared. Try again in a moment.' };
  }
}

/** After the browser confirmed the card: saved as the default, and what failed is charged with it at once. */
export async function completeCardUpdateAction(setupIntentId: string): Promise<CardUpdateState> {
  const user = await requireUser('/billing');
  const runtime = await getRuntime();
  try {
    const outcome = await completeCardUpdate(runtime, user.id, String(setupIntentId));
    revalidatePath('/billing');
    return { done: cardUpdateMessage(outcome) };
  } catch (error) {
    if (error instanceof CardUpdateError) return { error: error.message };
    throw error;
  }
}

/** Adds a metered add-on (billed by usage at each period end) to one of the customer's subscriptions. */
export async function addUsageAddOnAction(_previous: SubscriptionActionState, form: FormData): Promise<SubscriptionActionState> {
  const user = await requireUser('/billing');
  const { db } = await getRuntime();
  try {
    await addUsageAddOn(db, { userId: user.id, subscriptionId: String(form.get('subscriptionId') ?? ''), priceId: String(form.get('priceId') ?? ''), now: new Date() });
  } catch (error) {
    if (error instanceof SubscriptionActionError) return { error: error.message };
    throw error;
  }
  revalidatePath('/billing');
  return { done: 'Added. Its usage is billed at the end of each period.' };
}
