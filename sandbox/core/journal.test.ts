import { describe, expect, it } from 'vitest';
import { journal } from './journal';

interface State {
  version: number;
  items: Record<string, { name: string; tags: string[] } | undefined>;
  queue: string[];
  other: Record<string, unknown>;
}

const initial = (): State => ({
  version: 1,
  items: { a: { name: 'a', tags: ['x'] }, b: { name: 'b', tags: [] } },
  queue: ['one'],
  other: {},
});

describe('journal', () => {
  it('rolls back changed, added and deleted entries, arrays and top-level values', () => {
    const live = initial();
    const { state, rollback } = journal(live);
    state.items.a!.name = 'changed';
    state.items.a!.tags.push('y');
    state.items.c = { name: 'c', tags: [] };
    delete state.items.b;
    state.queue.shift();
    state.version = 2;
    state.other = { replaced: true };
    expect(live.items.a).toEqual({ name: 'changed', tags: ['x', 'y'] });
    rollback();
    expect(live).toEqual(initial());
  });

  it('keeps the changes when not rolled back', () => {
    const live = initial();
    const { state } = journal(live);
    state.items.c = { name: 'c', tags: [] };
    state.items.a!.name = 'changed';
    expect(live.items.c).toEqual({ name: 'c', tags: [] });
    expect(live.items.a!.name).toBe('changed');
  });

  it('copies only the entries a transaction reads', () => {
    const live = initial();
    // A function cannot be structured-cloned: reading this entry through the journal would throw.
    live.other.untouched = () => 'not copied';
    const { state, rollback } = journal(live);
    state.items.a!.name = 'changed';
    rollback();
    expect(live.items.a!.name).toBe('a');
    expect(() => state.other.untouched).toThrow();
  });
});
