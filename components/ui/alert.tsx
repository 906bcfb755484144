import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

export function Alert({ className, tone = 'error', ...props }: ComponentProps<'div'> & { tone?: 'error' | 'success' | 'info' }) {
  const tones = {
    error: 'border-red-200 bg-red-50 text-red-800',
    success: 'border-green-200 bg-green-50 text-green-800',
    info: 'border-brand-100 bg-brand-50 text-slate-800',
  };
  return <div role={tone === 'error' ? 'alert' : 'status'} className={cn('rounded-md border px-3 py-2 text-sm', tones[tone], className)} {...props} />;
}
