import Link from 'next/link';

/** A list filter's submit button and, when a filter is set, the link that clears it. */
export function FilterButtons({ label, clearHref, filtered }: { label: string; clearHref: string; filtered: boolean }) {
  return (
    <>
      <button type="submit" className="h-9 rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-100">
        {label}
      </button>
      {filtered ? (
        <Link href={clearHref} className="h-9 px-2 leading-9 text-brand-600 hover:underline">
          Clear
        </Link>
      ) : null}
    </>
  );
}

/** A list's status filter: every status with how many items have it, or all of them. */
export function StatusSelect({ statuses, value, counts }: { statuses: readonly string[]; value: string | undefined; counts: Partial<Record<string, number>> }) {
  return (
    <label className="flex flex-col gap-1">
      Status
      <select name="status" defaultValue={value ?? ''} className="h-9 rounded-md border border-slate-300 bg-white px-2">
        <option value="">All</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {s} ({counts[s] ?? 0})
          </option>
        ))}
      </select>
    </label>
  );
}

/** The list's page links and count; `href(n)` is page n's URL with the same filter. */
export function Pager({ page, pageCount, total, noun, href }: { page: number; pageCount: number; total: number; noun: string; href: (page: number) => string }) {
  return (
    <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
      {page > 1 ? (
        <Link className="text-brand-600 hover:underline" href={href(page - 1)}>
          ← Previous
        </Link>
      ) : null}
      <span className="text-slate-500">
        Page {Math.min(page, pageCount)} of {pageCount} · {total} {noun}
        {total === 1 ? '' : 's'}
      </span>
      {page < pageCount ? (
        <Link className="text-brand-600 hover:underline" href={href(page + 1)}>
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
