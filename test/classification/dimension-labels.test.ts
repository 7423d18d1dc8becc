// Reports name products, customer groups and regions after the policy's catalogue.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { bilingual, labelOf, useDimensionLabels } from '../../services/reports/report-labels';

afterEach(() => useDimensionLabels(DEFAULT_POLICY));

describe('report labels of the catalogue', () => {
  it('names the shipped catalogue in both languages; unset is "not recorded"', () => {
    expect(labelOf('auto')).toBe('车险');
    expect(labelOf('margin', 'en')).toBe('Margin financing');
    expect(bilingual('east')).toBe('华东 East');
    expect(bilingual('senior')).toBe('老年客户 Senior (60+)');
    expect(labelOf(null)).toBe('未登记');
  });

  it('follows a deployment whose policy has its own catalogue', () => {
    useDimensionLabels({
      ...DEFAULT_POLICY,
      reportDimensions: { products: [], customerGroups: [], regions: [{ code: 'gba', zh: '粤港澳大湾区', en: 'Greater Bay Area' }] },
    });
    expect(bilingual('gba')).toBe('粤港澳大湾区 Greater Bay Area');
    expect(labelOf('auto')).toBe('auto');
  });
});
