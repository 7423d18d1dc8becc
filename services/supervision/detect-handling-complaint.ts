// R-SUPERVISION: does the customer complain about how their complaint is being handled (投诉处理人员,
// 处理太慢, 对处理不满意, "complain about the handling")? Such a complaint goes to the supervision
// department, linked to the complaint it is about. Pure, table-tested (test/supervision).
//
// Care is needed with 处理太慢: "理赔处理太慢" is a complaint about claims (the business), not about
// complaint handling, so slowness counts only when it is the complaint's handling (你们/投诉/这事 … 处理)
// or the whole message.

const ZH_PATTERNS: RegExp[] = [
  // 投诉处理人员 / 投诉经办人 / 投诉你们的处理人员
  /投诉.{0,6}(处理|经办|承办|跟进)(人员|人|的人|专员|客服)/,
  // 处理太慢 / 处理得太慢了 as the message, or about the complaint's handling
  /^(你们|你们的|我的投诉|投诉|这件事|这事)?(的)?处理(得|的)?(也)?(太|很|真|实在|非常|特别)?(慢|拖拉|拖沓)/,
  /(你们|投诉|这件事|这事|我的事)(的)?处理(得|的|速度|进度|效率)?(也)?(太|很|真|实在|非常|特别)(慢|拖拉|拖沓|低)/,
  // 对处理不满意 / 对你们的处理结果很不满意 / 对投诉处理不满
  /对(你们|你们的|投诉|投诉的|我投诉的|我的投诉的|这次)?处理(结果|方式|过程|进度|速度|态度|意见)?(很|非常|十分|特别|极其)?不(满|满意)/,
  /处理(结果|方式|过程|态度)?(让我|令我)?(很|非常|十分)?不满意/,
  // 投诉处理不当 / 处理不公
  /投诉.{0,4}处理(不当|不公|不力|有问题)/,
];

const EN_PATTERNS: RegExp[] = [
  /complain(t)? about (the |your )?(complaint )?handling/,
  /complain(t)? about (the |your )?(handler|case handler|staff|agent|person)s? (handling|dealing with|in charge of) my (complaint|case)/,
  /complain(t)? about how (my|the|this) (complaint|case) (is|was|has been|is being|was being) (handled|dealt with)/,
  /(unhappy|not happy|dissatisfied|not satisfied) (with|about) (the |your )?(handling|way (you|my complaint|my case) (is|was|are|were|has been)? ?(handled|handling))/,
  /(unhappy|not happy|dissatisfied|not satisfied) (with|about) how (you|my complaint|my case) (is|was|are|were|has been) (being )?(handled|handling)/,
  /(my )?(complaint|case) (is|was) (being )?handled (too )?(slowly|badly|poorly)/,
  /(the )?handling (of my (complaint|case) )?(is|was) (too |very |so )?(slow|bad|poor)/,
];

export function isHandlingComplaint(text: string | undefined | null): boolean {
  const t = (text ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!t) return false;
  return ZH_PATTERNS.some((p) => p.test(t)) || EN_PATTERNS.some((p) => p.test(t));
}
