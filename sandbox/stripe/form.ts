/**
 * Stripe's form encoding: `a[b][0][c]=v` pairs (from a body or a query string) into nested objects and arrays.
 * Objects whose keys are all array indices become arrays; `a[]=x` appends.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

export class FormSyntaxError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const parts = [key.slice(0, first)];
  const rest = key.slice(first);
  const re = /\[([^\]]*)\]/g;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    if (m.index !== consumed) throw new FormSyntaxError(key, `Invalid parameter name: ${key}`);
    parts.push(m[1]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length || parts[0] === '') throw new FormSyntaxError(key, `Invalid parameter name: ${key}`);
  return parts;
}

const APPEND = Symbol('append');

function assign(target: FormObject, path: string[], value: string, fullKey: string): void {
  let node: FormObject = target;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    let segment = path[i];
    if (segment === '') {
      const counter = ((node as unknown as Record<symbol, number>)[APPEND] ?? 0) as number;
      (node as unknown as Record<symbol, number>)[APPEND] = counter + 1;
      segment = String(Object.keys(node).filter((k) => /^\d+$/.test(k)).length);
    }
    if (last) {
      if (typeof node[segment] === 'object') throw new FormSyntaxError(fullKey, `Invalid value for ${fullKey}: expected an object`);
      node[segment] = value;
      return;
    }
    const existing = node[segment];
    if (existing === undefined) node[segment] = {};
    else if (typeof existing === 'string') {
      // `metadata=` (empty) followed by `metadata[k]=v`: the nested form wins.
      if (existing !== '') throw new FormSyntaxError(fullKey, `Invalid value for ${path.slice(0, i + 1).join('.')}`);
      node[segment] = {};
    }
    node = node[segment] as FormObject;
  }
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(arrayify);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => arrayify(value[String(k)]));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = arrayify(value[k]);
  return out;
}

export function parseForm(text: string | URLSearchParams): FormObject {
  const params = typeof text === 'string' ? new URLSearchParams(text) : text;
  const root: FormObject = {};
  for (const [key, value] of params) assign(root, splitKey(key), value, key);
  return arrayify(root) as FormObject;
}

/** The inverse, for tests and internal requests (arrays as indexed keys, like the SDK). */
export function encodeForm(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(`${key}[${i}]`, v));
    else for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return pairs.join('&');
}
