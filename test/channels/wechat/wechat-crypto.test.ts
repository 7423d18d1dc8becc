// WeChat's signature and safe-mode encryption against the worked examples WeChat published with its
// WXBizMsgCrypt sample code (公众平台消息加解密 samples: C#/PHP "QDG6eK" sample, Java
// WXBizMsgCryptTest, Python Sample.py). Every value below comes from those samples; each case was
// checked to pass before it was written down.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { decryptWechatMessage, encryptWechatMessage, WechatCryptoError, wechatSignature } from '../../../bot/channels/wechat/wechat-crypto';

// The C# / PHP sample: token QDG6eK, appid wx5823bf96d3bd56c7.
const SAMPLE = {
  token: 'QDG6eK',
  appId: 'wx5823bf96d3bd56c7',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  // The same sample's URL verification: msg_signature, timestamp, nonce and the encrypted echostr.
  verify: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    plain: '1616140317555161061',
  },
};

// The Java sample's test (WXBizMsgCryptTest): fixed random prefix "aaaabbbbccccdddd".
const JAVA = {
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  replyMsg: '我是中文abcd123',
  afterAesEncrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
  replyMsg2:
    '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>',
  afterAesEncrypt2:
    'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb',
};

// The Python sample (Sample.py): token spamtest, a text message from a follower.
const PYTHON = {
  token: 'spamtest',
  appId: 'wx2c2769f8efd9abc2',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  timestamp: '1409735669',
  nonce: '1320562132',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
};

describe('WeChat signatures (sha1 of the sorted values)', () => {
  it("matches the samples' msg_signature over token, timestamp, nonce and the ciphertext", () => {
    expect(wechatSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt)).toBe(SAMPLE.msgSignature);
    expect(wechatSignature(SAMPLE.token, SAMPLE.verify.timestamp, SAMPLE.verify.nonce, SAMPLE.verify.echostr)).toBe(SAMPLE.verify.msgSignature);
    expect(wechatSignature(PYTHON.token, PYTHON.timestamp, PYTHON.nonce, PYTHON.encrypt)).toBe(PYTHON.msgSignature);
  });

  it('sorts as strings, not numbers, and does not depend on argument order', () => {
    // Numeric order would put 9 before 10; string order puts "10" first.
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    expect(wechatSignature('9', '10', 'x')).toBe(sha1('109x'));
    expect(wechatSignature('9', '10', 'x')).not.toBe(sha1('910x'));
    expect(wechatSignature(SAMPLE.encrypt, SAMPLE.nonce, SAMPLE.timestamp, SAMPLE.token)).toBe(SAMPLE.msgSignature);
  });
});

describe('safe-mode decryption', () => {
  it("decrypts the C# sample's message and checks its appid", () => {
    const xml = decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, SAMPLE.encrypt);
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('<MsgId>4561255354251345929</MsgId>');
  });

  it("decrypts the sample's URL-verification echostr", () => {
    expect(decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, SAMPLE.verify.echostr)).toBe(SAMPLE.verify.plain);
  });

  it("decrypts the Python sample's text message", () => {
    const xml = decryptWechatMessage(PYTHON.encodingAesKey, PYTHON.appId, PYTHON.encrypt);
    expect(xml).toContain('<Content><![CDATA[abcdteT]]></Content>');
    expect(xml).toContain('<MsgId>6054768590064713728</MsgId>');
  });

  it('refuses a message sealed for another appid', () => {
    expect(() => decryptWechatMessage(SAMPLE.encodingAesKey, 'wx0000000000000000', SAMPLE.encrypt)).toThrow(WechatCryptoError);
  });

  it('refuses a tampered or truncated ciphertext without crashing', () => {
    const bytes = Buffer.from(SAMPLE.encrypt, 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    expect(() => decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, bytes.toString('base64'))).toThrow(WechatCryptoError);
    expect(() => decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, SAMPLE.encrypt.slice(0, 30))).toThrow(WechatCryptoError);
    expect(() => decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, '')).toThrow(WechatCryptoError);
  });
});

describe('safe-mode encryption', () => {
  it("produces the Java sample's ciphertexts from its fixed random prefix", () => {
    const random = Buffer.from(JAVA.random);
    expect(encryptWechatMessage(JAVA.encodingAesKey, JAVA.appId, JAVA.replyMsg, random)).toBe(JAVA.afterAesEncrypt);
    expect(encryptWechatMessage(JAVA.encodingAesKey, JAVA.appId, JAVA.replyMsg2, random)).toBe(JAVA.afterAesEncrypt2);
  });

  it('round-trips every padding length from 1 to 32 bytes (32-byte PKCS#7 blocks)', () => {
    for (let extra = 0; extra < 32; extra++) {
      const message = `投诉${'x'.repeat(extra)}`;
      const sealed = encryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, message, randomBytes(16));
      expect(Buffer.from(sealed, 'base64').length % 32).toBe(0);
      expect(decryptWechatMessage(SAMPLE.encodingAesKey, SAMPLE.appId, sealed)).toBe(message);
    }
  });

  it('refuses an EncodingAESKey that is not 43 characters', () => {
    expect(() => encryptWechatMessage('short', SAMPLE.appId, 'x')).toThrow(WechatCryptoError);
  });
});
