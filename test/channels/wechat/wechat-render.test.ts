// How the bot's activities look in WeChat: text, choices as numbered lines with tappable
// weixin://bizmsgmenu links, links for openUrl buttons, and splitting under WeChat's 2048 bytes.
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, renderWechatTexts, splitForWechat } from '../../../bot/channels/wechat/wechat-render';

describe('renderWechatTexts', () => {
  it('renders suggested actions as numbered, tappable choices under the prompt', () => {
    const [text, ...more] = renderWechatTexts({
      type: 'message',
      text: '请选择业务类型：',
      suggestedActions: { to: [], actions: [{ type: 'imBack', title: '保险', value: '保险' }, { type: 'imBack', title: '证券', value: '证券' }] },
    });
    expect(more).toEqual([]);
    expect(text).toBe(
      '请选择业务类型：\n'
      + '1. <a href="weixin://bizmsgmenu?msgmenucontent=保险&msgmenuid=1">保险</a>\n'
      + '2. <a href="weixin://bizmsgmenu?msgmenucontent=证券&msgmenuid=2">证券</a>',
    );
  });

  it('renders hero cards with their buttons, and openUrl buttons as links', () => {
    const [text] = renderWechatTexts({
      type: 'message',
      attachments: [{
        contentType: 'application/vnd.microsoft.card.hero',
        content: { title: '投诉须知', text: '请阅读', buttons: [{ type: 'openUrl', title: '隐私政策', value: 'https://example.com/privacy' }, { type: 'imBack', title: '同意', value: '同意' }] },
      }],
    });
    expect(text).toBe('投诉须知\n请阅读\n1. <a href="https://example.com/privacy">隐私政策</a>\n2. <a href="weixin://bizmsgmenu?msgmenucontent=同意&msgmenuid=2">同意</a>');
  });

  it('keeps a choice whose label would break the link as a plain numbered line', () => {
    const [text] = renderWechatTexts({ type: 'message', text: '选择', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'A & B', value: 'A & B' }] } });
    expect(text).toBe('选择\n1. A & B');
  });

  it('sends nothing for an activity with nothing to show', () => {
    expect(renderWechatTexts({ type: 'message' })).toEqual([]);
    expect(renderWechatTexts({ type: 'message', text: '   ' })).toEqual([]);
  });
});

describe('splitForWechat', () => {
  it('keeps texts under the limit whole', () => {
    expect(splitForWechat('第一行\n第二行')).toEqual(['第一行\n第二行']);
  });

  it('splits long texts at line ends, each piece under the byte limit, losing nothing', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `第${i}行：理赔申请已经提交三个月`);
    const pieces = splitForWechat(lines.join('\n'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts one over-long line between characters, never inside a multi-byte one', () => {
    const line = '投'.repeat(1500); // 4500 bytes
    const pieces = splitForWechat(line);
    expect(pieces.join('')).toBe(line);
    for (const piece of pieces) expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(pieces.every((p) => /^投+$/.test(p))).toBe(true);
  });
});
