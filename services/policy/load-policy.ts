// Loads the complaint policy: the shipped complaint-policy.json, or an override file named by
// POLICY_FILE (AppConfig.policyFile). An override is merged over the shipped file — objects key by
// key, arrays and values replaced whole — so it may hold only what it changes, but it must name its
// own "version": every complaint records the version it was judged under. The result is validated
// by the zod schema in policy-schema.ts; a bad file stops the boot with one readable message that
// names the file and every bad key.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { complaintPolicySchema, type ComplaintPolicy } from './policy-schema';
import { DEFAULT_POLICY, SHIPPED_POLICY_PATH } from './policy';

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid complaint policy in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/**
 * The policy to judge complaints by. Without a path: the shipped policy (DEFAULT_POLICY). With a
 * path: that file merged over the shipped one and validated. Throws PolicyError, never a raw stack.
 */
export function loadPolicy(path?: string): ComplaintPolicy {
  if (path === undefined || path.trim() === '') return DEFAULT_POLICY;
  const file = resolve(path.trim());
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PolicyError(file, [code === 'ENOENT' ? 'the file does not exist' : `cannot read the file (${code ?? String(err)})`]);
  }
  let override: unknown;
  try {
    override = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new PolicyError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  if (!isPlainObject(override)) throw new PolicyError(file, ['must be a JSON object such as {"version": "…", …}']);
  if (typeof override.version !== 'string' || override.version.trim() === '') {
    throw new PolicyError(file, [`version: an override file must name its own policy version (the shipped one is "${DEFAULT_POLICY.version}")`]);
  }
  return parsePolicy(mergeOver(shippedRaw(), override), file, override);
}

/** Validates a complete policy object; `label` names it in the error. */
export function parsePolicy(candidate: unknown, label: string, given: unknown = candidate): ComplaintPolicy {
  const parsed = complaintPolicySchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new PolicyError(label, describeIssues(parsed.error.issues, given));
}

function describeIssues(issues: z.core.$ZodIssue[], given: unknown): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(`${[...at, key].join('.')}: unknown key (not part of the policy; misspelt?)`);
      continue;
    }
    const value = valueAt(given, at);
    const shown = value === undefined ? '' : ` (given ${truncate(JSON.stringify(value))})`;
    problems.push(`${at.join('.') || '(file)'}: ${issue.message}${shown}`);
  }
  return problems;
}

function shippedRaw(): Record<string, unknown> {
  return JSON.parse(readFileSync(SHIPPED_POLICY_PATH, 'utf8')) as Record<string, unknown>;
}

function mergeOver(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeOver(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function truncate(s: string | undefined): string {
  if (s === undefined) return 'undefined';
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
