// The survey's free-text classifier and the pure scheduling rules, as tables.
import { describe, expect, it } from 'vitest';
import { classifySurveyAnswer, isReviewRequest, isSkipComment } from '../../services/survey/classify-survey-answer';
import { chooseSurveyMethod, planSurveyTimes, reviewWindowOpen } from '../../services/survey/plan-survey';
import { chooseReopenOwner } from '../../services/survey/choose-reopen-owner';
import { DEFAULT_POLICY } from '../../services/policy/policy';

describe('classifySurveyAnswer', () => {
  it.each([
    ['满意', null, true], ['非常满意', null, true], ['很满意！', null, true], ['挺满意的', null, true], ['我觉得还行吧', null, true],
    ['还行', null, true], ['一般', null, true], ['不满意', null, false], ['有点不满意', null, false], ['太差了', null, false],
    ['很不满意', null, false], ['非常不满意。', null, false], ['不太满意', null, false],
    ['satisfied', null, true], ['Very satisfied, thanks', null, true], ["I'm not happy", null, false], ['not happy', null, false],
    ['Terrible!', null, false], ['ok', null, true], ['dissatisfied', null, false],
    ['5', 5, true], ['1', 1, false], ['2', 2, false], ['3', 3, true], ['5分', 5, true], ['４', 4, true], ['五分', 5, true],
    ['给两分', 2, false], ['4 stars', 4, true], ['3/5', 3, true],
  ] as const)('%s → rating %s, satisfied %s', (text, rating, satisfied) => {
    expect(classifySurveyAnswer(text)).toMatchObject({ rating, satisfied });
  });

  it.each(['我要投诉', '我对另一份保单的理赔结果不满意，想再投诉一次', '6', '0', '12', '你好', '查询进度', 'file a complaint', '好的', '', '   '])(
    '%j is not a survey answer', (text) => {
      expect(classifySurveyAnswer(text)).toBeNull();
    },
  );

  it('marks bare digits as ambiguous while another question is open, words and 5分 not', () => {
    expect(classifySurveyAnswer('4')!.bareScore).toBe(true);
    expect(classifySurveyAnswer('4分')!.bareScore).toBe(false);
    expect(classifySurveyAnswer('满意')!.bareScore).toBe(false);
  });

  it('knows skip words and review requests', () => {
    expect(['跳过', 'skip', '没有了', 'No thanks'].map(isSkipComment)).toEqual([true, true, true, true]);
    expect(isSkipComment('回复太慢')).toBe(false);
    expect(['申请复核', '我要复核 TS20261128-000123', 'I want to request a review', 'request a review please'].map(isReviewRequest)).toEqual([true, true, true, true]);
    expect(isReviewRequest('我要投诉')).toBe(false);
  });
});

describe('survey plan', () => {
  it('counts the windows from the feedback and scales them', () => {
    const feedbackAt = new Date('2026-11-02T02:00:00Z');
    expect(planSurveyTimes({ feedbackAt, policy: DEFAULT_POLICY })).toEqual({
      sendAt: new Date('2026-11-03T02:00:00Z'), remindAt: new Date('2026-11-04T02:00:00Z'), expiresAt: new Date('2026-11-09T02:00:00Z'),
    });
    const scaled = planSurveyTimes({ feedbackAt, policy: DEFAULT_POLICY, timeScale: 1 / 3600 });
    expect(scaled.sendAt.getTime() - feedbackAt.getTime()).toBe(24_000);
  });

  it.each([
    [{ hasConversation: true, feedbackMethod: 'chat', intakeChannel: 'hotline', hasEmail: true, hasPhone: true, smsAvailable: true }, 'chat'],
    [{ hasConversation: true, feedbackMethod: 'phone', intakeChannel: 'wechat', hasEmail: false, hasPhone: true, smsAvailable: false }, 'chat'],
    [{ hasConversation: false, feedbackMethod: 'phone', intakeChannel: 'hotline', hasEmail: true, hasPhone: true, smsAvailable: true }, 'email'],
    [{ hasConversation: true, feedbackMethod: 'letter', intakeChannel: 'counter', hasEmail: false, hasPhone: true, smsAvailable: true }, 'sms'],
    [{ hasConversation: false, feedbackMethod: 'phone', intakeChannel: 'hotline', hasEmail: false, hasPhone: true, smsAvailable: false }, 'callback'],
  ] as const)('method %o → %s', (facts, method) => {
    expect(chooseSurveyMethod(facts)).toBe(method);
  });

  it('keeps the review window open for review.windowDays after the answer', () => {
    const feedbackAt = new Date('2026-10-01T00:00:00Z');
    expect(reviewWindowOpen({ feedbackAt, now: new Date('2026-10-31T00:00:00Z'), policy: DEFAULT_POLICY })).toBe(true);
    expect(reviewWindowOpen({ feedbackAt, now: new Date('2026-10-31T00:00:01Z'), policy: DEFAULT_POLICY })).toBe(false);
  });
});

describe('chooseReopenOwner', () => {
  const staff = [
    { id: 'a1', role: 'agent', employeeNo: 'E1', inDepartment: true, openComplaints: 0 },
    { id: 's1', role: 'supervisor', employeeNo: 'E2', inDepartment: true, openComplaints: 3 },
    { id: 's2', role: 'supervisor', employeeNo: 'E3', inDepartment: true, openComplaints: 1 },
    { id: 's3', role: 'supervisor', employeeNo: 'E4', inDepartment: false, openComplaints: 0 },
    { id: 'l1', role: 'leadership', employeeNo: 'E5', inDepartment: false, openComplaints: 0 },
  ];
  it('takes the next level up in the department, the least busy, never a previous owner or a subject', () => {
    const none = new Set<string>();
    expect(chooseReopenOwner({ candidates: staff, lastOwnerRole: 'agent', previousOwnerIds: new Set(['a1']), subjectIds: none })?.id).toBe('s2');
    expect(chooseReopenOwner({ candidates: staff, lastOwnerRole: 'agent', previousOwnerIds: new Set(['a1']), subjectIds: new Set(['s2']) })?.id).toBe('s1');
    expect(chooseReopenOwner({ candidates: staff, lastOwnerRole: 'supervisor', previousOwnerIds: new Set(['a1', 's2']), subjectIds: none })?.id).toBe('l1');
    expect(chooseReopenOwner({ candidates: staff, lastOwnerRole: 'leadership', previousOwnerIds: new Set(['l1']), subjectIds: none })).toBeNull();
  });
});
