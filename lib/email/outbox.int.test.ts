import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEmails } from '@/db/schema';
import { QUEUES } from '@/lib/jobs/queue';
import { startWorkers } from '@/lib/jobs/workers';
import { createGateways } from '@/lib/payments/gateways';
import { parseConfig } from '@/lib/config/schema';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/database';
import { queueEmail, sendOutboxEmail } from './outbox';
import { passwordResetEmail } from './templates';

const template = passwordResetEmail({ resetUrl: 'http://app.test/reset-password?token=abc', expiresInMinutes: 60 });

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`email outbox (${testDatabaseKind})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t?.close());

  it('writes the email and its job in one transaction, so a rollback leaves neither', async () => {
    await expect(
      t.handle.db.transaction(async (tx) => {
        await queueEmail(tx, t.boss, 'rollback@example.com', template);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, 'rollback@example.com'))).toEqual([]);
    expect(await t.boss.fetch(QUEUES.sendEmail)).toEqual([]);
  });

  it('is sent by the worker job and kept readable in the outbox without SMTP', async () => {
    const config = parseConfig({});
    if (!config.ok) throw new Error('config');
    await startWorkers(t.boss, t.handle.db, config.config, createGateways(config.config));
    const id = await t.handle.db.transaction((tx) => queueEmail(tx, t.boss, 'reader@example.com', template));
    const sent = await waitFor(async () => {
      const [row] = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.id, id));
      return row.status === 'sent' ? row : undefined;
    });
    expect(sent).toMatchObject({ transport: 'outbox', attempts: 1, subject: 'Reset your password', lastError: null });
    expect(sent.text).toContain('http://app.test/reset-password?token=abc');
    expect(sent.sentAt).toBeInstanceOf(Date);
  });

  it('does not send an email twice when its job runs again', async () => {
    const [row] = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.to, 'reader@example.com'));
    const sentMessages: unknown[] = [];
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const spy = { ...transport, sendMail: async (m: unknown) => (sentMessages.push(m), transport.sendMail(m as never)) } as unknown as typeof transport;
    expect(await sendOutboxEmail(t.handle.db, { transport: spy, name: 'spy', from: 'x@y.z' }, { emailId: row.id })).toBe('already-sent');
    expect(sentMessages).toEqual([]);
  });

  it('records a transport failure on the email and rethrows so the queue retries', async () => {
    const [row] = await t.handle.db
      .insert(outboxEmails)
      .values({ to: 'fail@example.com', subject: 's', text: 't', template: 'test' })
      .returning();
    const failing = { sendMail: async () => Promise.reject(new Error('connection refused')) } as unknown as nodemailer.Transporter;
    await expect(sendOutboxEmail(t.handle.db, { transport: failing, name: 'smtp', from: 'x@y.z' }, { emailId: row.id })).rejects.toThrow('connection refused');
    const [after] = await t.handle.db.select().from(outboxEmails).where(eq(outboxEmails.id, row.id));
    expect(after).toMatchObject({ status: 'queued', attempts: 1, lastError: 'connection refused' });
  });
});
