// The JSON-lines formats of `npm run triage` (one complaint per line) and of the labelled sets in
// test/triage/cases.*.jsonl (the same fields plus the expected answer).
import { z } from 'zod';
import { parseAmount } from '../intake/parse-amount';
import type { TriageFacts } from './triage-types';

/** The intake answer: a number of yuan, or text the intake parser reads (8万, "RMB 30k", 没有损失 → 0); null = unknown. */
const claimedLoss = z.unknown().transform((value, ctx): number | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const parsed = parseAmount(value);
    if (parsed.kind === 'amount') return parsed.yuan;
    // "没有损失" / "0" is an answer (no loss, 0); "不知道" is none (null): the text decides.
    if (parsed.kind === 'none') return parsed.noLoss ? 0 : null;
  }
  ctx.addIssue({ code: 'custom', message: `must be a number of yuan or an amount such as "8万", not ${JSON.stringify(value)}` });
  return z.NEVER;
});

export const triageInputSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty'),
  claimedLossYuan: claimedLoss.optional(),
  businessLine: z.enum(['insurance', 'securities']).optional(),
  /** Same complainant, same matter, within the policy's repeat window (not expressible in text). */
  isRepeat: z.boolean().optional(),
});

export const labelledCaseSchema = triageInputSchema.extend({
  expectedTier: z.enum(['L1', 'L2', 'L3']),
  expectedUrgent: z.boolean().optional(),
  note: z.string().optional(),
});

export type TriageInput = z.infer<typeof triageInputSchema>;
export type LabelledCase = z.infer<typeof labelledCaseSchema> & { line: number };

export function factsOf(input: TriageInput): TriageFacts {
  return {
    text: input.text,
    claimedLossYuan: input.claimedLossYuan ?? null,
    businessLine: input.businessLine,
    isRepeat: input.isRepeat ?? false,
  };
}

export type ParsedLine<T> = { ok: true; value: T } | { ok: false; error: string };

/** One JSON line against a schema; the error names each bad field, never a stack trace. */
export function parseJsonLine<T>(line: string, schema: z.ZodType<T>): ParsedLine<T> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'must be a JSON object such as {"text": "…"}' };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ') };
}

/** The cases of a labelled set, and the lines that are not cases. Blank lines are skipped. */
export function parseLabelledSet(content: string): { cases: LabelledCase[]; errors: { line: number; error: string }[] } {
  const cases: LabelledCase[] = [];
  const errors: { line: number; error: string }[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parsed = parseJsonLine(raw, labelledCaseSchema);
    if (parsed.ok) cases.push({ ...parsed.value, line: i + 1 });
    else errors.push({ line: i + 1, error: parsed.error });
  });
  return { cases, errors };
}
