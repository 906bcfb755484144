/**
 * Validates response bodies against Stripe's OpenAPI spec (spec3.json, API 2024-04-10) with ajv:
 * `nullable` is rewritten to `anyOf [..., null]`, $refs resolve inside the spec, x-* keywords are ignored.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SPEC_PATH = fileURLToPath(new URL('../../../../shared/specs/stripe/spec3.json', import.meta.url));

type Json = Record<string, unknown>;

function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k.startsWith('x-') || k === 'description') continue;
    out[k] = rewriteNullable(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

let loaded: { ajv: Ajv; spec: { paths: Record<string, Record<string, Operation>> }; templates: Array<{ template: string; re: RegExp; params: number }> } | null = null;

function load() {
  if (loaded) return loaded;
  const raw = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'));
  const spec = { ...raw, components: { schemas: rewriteNullable(raw.components.schemas) } };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('unix-time', true);
  ajv.addFormat('decimal', true);
  ajv.addSchema({ $id: 'stripe-spec', components: spec.components }, 'stripe-spec');
  const templates = Object.keys(raw.paths).map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }));
  loaded = { ajv, spec: raw, templates };
  return loaded;
}

const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: Json): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    const rewritten = JSON.parse(JSON.stringify(rewriteNullable(schema)).replace(/"#\/components\/schemas\//g, '"stripe-spec#/components/schemas/'));
    fn = load().ajv.compile(rewritten);
    compiled.set(key, fn);
  }
  return fn;
}

/** The spec's path template for a concrete path (the most literal match wins). */
export function templateFor(pathname: string): string | undefined {
  const matches = load().templates.filter((t) => t.re.test(pathname)).sort((a, b) => a.params - b.params);
  return matches[0]?.template;
}

export function validateAgainstSchemaName(name: string, body: unknown): string[] {
  const fn = validatorFor(`component:${name}`, { $ref: `#/components/schemas/${name}` });
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Errors (empty when valid) of a response body against the spec's schema for that operation and status. */
export function validateResponse(method: string, pathname: string, status: number, body: unknown): string[] {
  const { spec } = load();
  const template = templateFor(pathname);
  // Paths Stripe does not have answer with its error object.
  if (!template) return status >= 400 ? validateAgainstSchemaName('error', body) : [`no spec path matches ${pathname}`];
  const operation = spec.paths[template][method.toLowerCase()];
  if (!operation) return [`spec has no ${method} ${template}`];
  const response = operation.responses[String(status)] ?? operation.responses.default;
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return [`spec has no JSON schema for ${method} ${template} ${status}`];
  const fn = validatorFor(`${method} ${template} ${status in operation.responses ? status : 'default'}`, schema);
  return fn(body) ? [] : (fn.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
