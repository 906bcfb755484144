/**
 * An undo log for a sandbox's in-memory state. A transaction works on the live state through a proxy
 * that copies each entry of a top-level collection the first time the transaction reads it; rolling
 * back puts those copies back and removes the entries it added. A rejected request therefore costs
 * what it touched, where copying the whole state before every request cost more as the state grew.
 *
 * The state's top-level values are collections (objects keyed by id) or small values (arrays,
 * numbers), which are copied whole. Scanning a collection inside a transaction copies every entry
 * it reads, so large scans belong outside transactions.
 */
const ABSENT = Symbol('absent');

type Before = unknown | typeof ABSENT;

export interface Journal<S> {
  /** The live state, seen through the undo log. */
  readonly state: S;
  /** Restores everything the transaction changed through `state`. */
  rollback(): void;
}

const isCollection = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function journal<S extends object>(root: S): Journal<S> {
  const rootBefore = new Map<PropertyKey, Before>();
  const entriesBefore = new Map<Record<string, unknown>, Map<string, Before>>();
  const proxies = new Map<Record<string, unknown>, Record<string, unknown>>();

  const remember = (log: Map<PropertyKey, Before>, target: object, key: PropertyKey) => {
    if (!log.has(key)) log.set(key, Object.hasOwn(target, key) ? structuredClone((target as Record<PropertyKey, unknown>)[key]) : ABSENT);
  };

  const collectionProxy = (collection: Record<string, unknown>) => {
    let proxy = proxies.get(collection);
    if (proxy) return proxy;
    const log = new Map<string, Before>();
    entriesBefore.set(collection, log);
    const note = (target: object, key: string | symbol) => {
      if (typeof key === 'string') remember(log as Map<PropertyKey, Before>, target, key);
    };
    proxy = new Proxy(collection, {
      get(target, key, receiver) {
        note(target, key);
        return Reflect.get(target, key, receiver);
      },
      set(target, key, value, receiver) {
        note(target, key);
        return Reflect.set(target, key, value, receiver);
      },
      deleteProperty(target, key) {
        note(target, key);
        return Reflect.deleteProperty(target, key);
      },
      defineProperty(target, key, descriptor) {
        note(target, key);
        return Reflect.defineProperty(target, key, descriptor);
      },
    });
    proxies.set(collection, proxy);
    return proxy;
  };

  const state = new Proxy(root, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (isCollection(value)) return collectionProxy(value);
      // Arrays and other small values are copied whole before the transaction may change them.
      if (typeof value === 'object' && value !== null) remember(rootBefore, target, key);
      return value;
    },
    set(target, key, value, receiver) {
      if (!rootBefore.has(key)) rootBefore.set(key, Object.hasOwn(target, key) ? (target as Record<PropertyKey, unknown>)[key] : ABSENT);
      return Reflect.set(target, key, value, receiver);
    },
    deleteProperty(target, key) {
      if (!rootBefore.has(key)) rootBefore.set(key, Object.hasOwn(target, key) ? (target as Record<PropertyKey, unknown>)[key] : ABSENT);
      return Reflect.deleteProperty(target, key);
    },
  });

  return {
    state,
    rollback() {
      for (const [collection, log] of entriesBefore) {
        for (const [key, before] of log) {
          if (before === ABSENT) delete collection[key];
          else collection[key] = before;
        }
      }
      const target = root as Record<PropertyKey, unknown>;
      for (const [key, before] of rootBefore) {
        if (before === ABSENT) delete target[key];
        else target[key] = before;
      }
    },
  };
}
