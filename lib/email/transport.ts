/** The mail transport: SMTP when SMTP_URL is set; otherwise mail stays in the app's outbox (sandbox). */
import nodemailer from 'nodemailer';
import type { AppConfig } from '@/lib/config';

export function createMailer(config: Pick<AppConfig, 'smtpUrl' | 'emailFrom'>) {
  if (config.smtpUrl) {
    return { transport: nodemailer.createTransport(config.smtpUrl), name: 'smtp', from: config.emailFrom };
  }
  // Builds the full message as nodemailer would send it, without sending: the outbox page shows it.
  return { transport: nodemailer.createTransport({ jsonTransport: true }), name: 'outbox', from: config.emailFrom };
}
