// What a free-text first message asks for, if it clearly asks for one of the menu's items.
// 'handling': a complaint about how a complaint is handled (R-SUPERVISION), checked first because
// its phrases also contain 投诉 or a complaint number.
import { isHandlingComplaint } from '../services/supervision/detect-handling-complaint';

export type MenuIntent = 'file' | 'status' | 'info' | 'person' | 'handling';

const COMPLAINT_NUMBER = /ts\s*\d{8}\s*[-－—]?\s*\d{6}/i;

export function detectMenuIntent(text: string | undefined): MenuIntent | null {
  const t = (text ?? '').normalize('NFKC').trim().toLowerCase();
  if (!t) return null;
  if (isHandlingComplaint(t)) return 'handling';
  if (COMPLAINT_NUMBER.test(t) || /(查询|查一下|查看).*(投诉|进度)|投诉进度|处理到哪|check (my |a )?complaint|status of|track/.test(t)) return 'status';
  if (/怎么投诉|如何投诉|投诉(流程|渠道|时限|须知|说明)|处理流程|多久.*(答复|处理)|how (do|can) i complain|how (are )?complaints? (are )?handled|complaint process/.test(t)) return 'info';
  if (/^(转人工|人工客服|人工服务|真人)$|talk to (a )?(person|human)|speak to (a |an )?(person|human|agent)/.test(t)) return 'person';
  if (/我要投诉|我想投诉|投诉|举报|维权|^complain|i want to complain|file a complaint|make a complaint|complaint about/.test(t)) return 'file';
  return null;
}
