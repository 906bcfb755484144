/** Dates as pages, receipts and invoices show them: in words, in UTC (the database's time). */
export function displayDate(value: Date, month: 'long' | 'short' = 'long'): string {
  return value.toLocaleDateString('en-US', { year: 'numeric', month, day: 'numeric', timeZone: 'UTC' });
}
