// The product a complaint names, read from the customer's text at intake (services/classification).
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { inferProduct } from '../../services/classification/infer-product';

const products = DEFAULT_POLICY.reportDimensions.products;

describe('inferProduct', () => {
  it.each([
    ['我的车险理赔一个月了还没到账', 'insurance', 'auto', ['车险']],
    ['住院花了三万，百万医疗险拒赔', 'insurance', 'health', ['百万医疗', '住院']],
    ['My car insurance claim was refused', 'insurance', 'auto', ['car insurance']],
    ['两融账户被强制平仓，没有提前通知', 'securities', 'margin', ['两融', '平仓']],
    ['基金赎回款五天还没到账', 'securities', 'funds', ['基金', '赎回']],
    ['The ETF order never went through', 'securities', 'funds', ['etf']],
  ] as const)('%s (%s) → %s', (text, line, product, words) => {
    const got = inferProduct(text, line, products);
    expect(got.product).toBe(product);
    expect(got.words).toEqual(expect.arrayContaining([...words]));
  });

  it.each([
    ['业务员服务态度很差', 'insurance'],
    // "fund" inside "refund" is not a fund
    ['I want a refund of my premium', 'insurance'],
    ['I want a refund now', 'securities'],
    // a securities product named in an insurance complaint does not count
    ['保单贷款利息算错了，我的基金也亏了', 'insurance'],
  ] as const)('names no product: %s', (text, line) => {
    expect(inferProduct(text, line, products)).toEqual({ product: null, words: [], ambiguous: [] });
  });

  it('records nothing when the text names two products, and says which', () => {
    const got = inferProduct('车险和意外险都被拒赔了', 'insurance', products);
    expect(got.product).toBeNull();
    expect(got.ambiguous.sort()).toEqual(['accident', 'auto']);
  });
});
