// The report dimensions staff can set on a complaint (product, customer group, region), with labels
// in both languages, from the policy. Checks a code against the catalogue and the complaint's line.
import { AppError } from '../errors';
import type { ComplaintPolicy } from '../policy/policy';

export type DimensionName = 'product' | 'customerGroup' | 'region';

export interface DimensionOption {
  code: string;
  zh: string;
  en: string;
  businessLine?: 'insurance' | 'securities';
}

export function dimensionCatalogue(policy: ComplaintPolicy): Record<DimensionName, DimensionOption[]> {
  const d = policy.reportDimensions;
  return {
    product: d.products.map(({ code, zh, en, businessLine }) => ({ code, zh, en, businessLine })),
    customerGroup: d.customerGroups.map(({ code, zh, en }) => ({ code, zh, en })),
    region: d.regions.map(({ code, zh, en }) => ({ code, zh, en })),
  };
}

/** Throws INVALID_INPUT naming the field when a code is not in the catalogue (or not of the line). */
export function assertDimensionCode(
  policy: ComplaintPolicy, name: DimensionName, code: string | null | undefined, businessLine: 'insurance' | 'securities',
): void {
  if (code === null || code === undefined) return;
  const option = dimensionCatalogue(policy)[name].find((o) => o.code === code);
  if (!option) {
    const known = dimensionCatalogue(policy)[name].filter((o) => !o.businessLine || o.businessLine === businessLine).map((o) => o.code);
    throw new AppError('INVALID_INPUT', { message: `${name} "${code}" is not in the policy's catalogue (one of: ${known.join(', ')})` });
  }
  if (option.businessLine && option.businessLine !== businessLine) {
    throw new AppError('INVALID_INPUT', { message: `${name} "${code}" is a ${option.businessLine} product; this complaint is ${businessLine}` });
  }
}

/** The label of a code in the given language; the code itself when the catalogue no longer has it. */
export function dimensionLabel(policy: ComplaintPolicy, name: DimensionName, code: string, locale: string): string {
  const option = dimensionCatalogue(policy)[name].find((o) => o.code === code);
  if (!option) return code;
  return locale.startsWith('en') ? option.en : option.zh;
}
