/**
 * Checks PayPal responses against PayPal's official OpenAPI files in /work/shared/specs/paypal (ajv,
 * strict: false, $refs resolved inside each file): the schema of the operation's documented response for
 * that status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SPEC_DIR = process.env.PAYPAL_SPEC_DIR ?? path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/specs/paypal');
const FILES = ['checkout_orders_v2', 'payments_payment_v2', 'vault_payment_tokens_v3', 'notifications_webhooks_v1', 'customer_disputes_v1'];

type Spec = { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>; components?: Record<string, Record<string, unknown>> };

// PayPal's patterns are not all valid with the `u` flag (e.g. its e-mail pattern), so no unicodeRegExp.
// PayPal-specific formats (ppaas_date_time_v3, ...) are unknown to ajv and ignored; their patterns still apply.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, unicodeRegExp: false, logger: { log() {}, warn() {}, error: console.error } });
addFormats(ajv);
const specs = new Map<string, Spec>();
for (const name of FILES) {
  const spec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, `${name}.json`), 'utf8')) as Spec;
  specs.set(name, spec);
  ajv.addSchema(spec as object, name);
}

const pointerEscape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const cache = new Map<string, ValidateFunction>();

function compile(ref: string): ValidateFunction {
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: ref });
    cache.set(ref, fn);
  }
  return fn;
}

/** Finds the spec operation for an API path (without the /paypal prefix). */
function findOperation(method: string, apiPath: string): { file: string; template: string } | null {
  for (const [file, spec] of specs) {
    for (const template of Object.keys(spec.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (re.test(apiPath) && spec.paths[template][method.toLowerCase()]) return { file, template };
    }
  }
  return null;
}

/** Validates `body` against a named component schema, e.g. ('notifications_webhooks_v1', 'event'). */
export function validateComponent(file: string, schema: string, body: unknown): string[] {
  const fn = compile(`${file}#/components/schemas/${pointerEscape(schema)}`);
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Errors (empty when valid) for a response; fails when the status is not documented for the operation. */
export function validateResponse(method: string, apiPath: string, status: number, body: unknown): string[] {
  const op = findOperation(method, apiPath);
  if (!op) return [`no operation in PayPal's specs for ${method} ${apiPath}`];
  const spec = specs.get(op.file)!;
  const responses = spec.paths[op.template][method.toLowerCase()].responses ?? {};
  const key = String(status) in responses ? String(status) : 'default' in responses ? 'default' : null;
  if (!key) return [`status ${status} is not documented for ${method} ${op.template}`];
  let response = responses[key] as { $ref?: string; content?: Record<string, { schema?: unknown }> };
  let pointer = `#/paths/${pointerEscape(op.template)}/${method.toLowerCase()}/responses/${key}`;
  if (response.$ref) {
    pointer = response.$ref;
    const parts = response.$ref.replace(/^#\//, '').split('/');
    response = parts.reduce<unknown>(
      (node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      spec,
    ) as typeof response;
  }
  const content = response?.content?.['application/json'];
  if (!content?.schema) return body === undefined || body === '' ? [] : [`no JSON schema for ${method} ${op.template} ${status}`];
  const fn = compile(`${op.file}${pointer}/content/application~1json/schema`);
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
