/** The admin lists' query-string filters: free-text search and page number, never an error for a bad link. */
import { z } from 'zod';

/** Trimmed search text; empty or invalid means no search. */
export const searchText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined);

/** A 1-based page number; anything else means the first page. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1).default(1);

/** A LIKE pattern that matches `text` literally anywhere (its %, _ and \ are not wildcards). */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
