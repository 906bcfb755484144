'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Re-renders the page after a pause, while the provider finishes (the server re-reads it each time). */
export function RefreshSoon({ afterMs = 2000 }: { afterMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setTimeout(() => router.refresh(), afterMs);
    return () => clearTimeout(timer);
  });
  return null;
}
