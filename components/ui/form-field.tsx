import type { ComponentProps } from 'react';
import { Input } from './input';
import { Label } from './label';

/** A labelled input with its validation message wired for screen readers. */
export function FormField({ label, name, error, ...props }: ComponentProps<'input'> & { label: string; name: string; error?: string }) {
  const errorId = `${name}-error`;
  return (
    <div className="space-y-1.5">
      <Label htmlFor={name}>{label}</Label>
      <Input id={name} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} {...props} />
      {error ? (
        <p id={errorId} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
