import type { ReactNode } from 'react';

/** A column heading; amounts are right-aligned. */
export type DataTableColumn = string | { label: string; align: 'right' };

/**
 * The admin's tables: a header row of column names, the rows the caller renders, and a full-width
 * line saying so when there are none (`empty` set).
 */
export function DataTable({ columns, empty, children }: { columns: readonly DataTableColumn[]; empty?: string | null; children: ReactNode }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="border-b text-slate-500">
        <tr>
          {columns.map((column, i) => {
            const { label, align } = typeof column === 'string' ? { label: column, align: null } : column;
            const className = [i === 0 ? 'py-2' : null, align === 'right' ? 'text-right' : null].filter(Boolean).join(' ');
            return (
              <th key={i} className={className || undefined}>
                {label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {children}
        {empty ? (
          <tr>
            <td colSpan={columns.length} className="py-6 text-center text-slate-500">
              {empty}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
