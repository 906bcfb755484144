import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as billing from './index';

const at = (iso: string) => Date.parse(iso);

describe('lib/billing public API', () => {
  it('has no clock, no IO and no floats-for-money helpers in its sources', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(8);
    for (const file of sources) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      expect(text, file).not.toMatch(/new Date\(|Date\.now\(|performance\.now\(/);
      expect(text, file).not.toMatch(/from ['"](node:)?(fs|http|https|net)['"]|@\/db\//);
      expect(text, file).not.toMatch(/toFixed\(|parseFloat\(/);
    }
  });

  it('time travel: a year of a monthly plan anchored on Jan 31 with a mid-period seat upgrade', () => {
    const price: billing.RecurringPrice = { id: 'team_month_usd', name: 'Team', currency: 'USD', unitAmount: 1500, interval: 'month', intervalCount: 1 };
    const cycle = billing.cycleFor(price, at('2023-01-31T09:00:00Z'));
    let quantity = 3;
    let credit = billing.zero('USD');
    const invoices: Array<{ start: string; lines: number[]; amountDue: number }> = [];
    for (let index = 0; index < 12; index += 1) {
      const period = billing.periodAt(cycle, index);
      const lines: billing.InvoiceLine[] = [billing.fullPeriodLine({ price, quantity }, period)];
      const totals = billing.computeInvoiceTotals({ currency: 'USD', lines, startingCredit: credit });
      credit = totals.endingCredit;
      invoices.push({ start: billing.formatUtcDate(period.start), lines: lines.map((l) => l.amount.amount), amountDue: totals.amountDue.amount });
      if (index === 0) {
        // On Feb 14, halfway through Jan 31 → Feb 28 (14 of 28 days), the customer goes from 3 to 5 seats.
        const change = billing.previewChange({
          cycle,
          currentPeriod: period,
          current: { price, quantity },
          next: { price, quantity: 5 },
          at: at('2023-02-14T09:00:00Z'),
          downgradePolicy: 'at_period_end',
        });
        expect(billing.formatUtcDate(period.end)).toBe('2023-02-28');
        expect(change.lines.map((l) => l.amount.amount)).toEqual([-2250, 3750]);
        quantity = 5;
        // The proration is invoiced at once, on its own invoice.
        invoices.push({ start: 'change', lines: change.lines.map((l) => l.amount.amount), amountDue: change.totals.amountDue.amount });
      }
    }
    expect(invoices.map((i) => i.start)).toEqual([
      '2023-01-31', 'change', '2023-02-28', '2023-03-31', '2023-04-30', '2023-05-31', '2023-06-30',
      '2023-07-31', '2023-08-31', '2023-09-30', '2023-10-31', '2023-11-30', '2023-12-31',
    ]);
    expect(invoices.map((i) => i.amountDue)).toEqual([4500, 1500, ...Array(11).fill(7500)]);
  });
});
