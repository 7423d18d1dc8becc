// The shape of the complaint policy file (complaint-policy.json) and the single source of the
// `ComplaintPolicy` type. Every object is strict: a misspelt key in an override file is an error,
// not a silently ignored setting.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const yuan = z.number().positive().finite();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour clock)');
const term = z.string().trim().min(1, 'must not be empty');
const terms = z.array(term);
const approverRole = z.enum(['agent', 'supervisor', 'leadership']);
const departmentCode = z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be a department code such as CS or CLAIMS');

/** Words in Chinese and English. */
const bilingual = z.strictObject({ zh: terms, en: terms });

/**
 * One signal's vocabulary. Chinese terms match where they line up with jieba's word boundaries
 * (services/triage/signals.ts); English terms match whole words, case-insensitively, and a trailing
 * `*` matches any word ending (lawyer* = lawyer, lawyers), a run of two or more a censored ending (f** =
 * f***, f**king), a `*` inside a word a censored letter (f*ck) and a `*` standing as a word of its own
 * one to three words (contact the * post). `exclude` lists phrases inside which a
 * match does not count (集体户口, 记者节, food court); `*` in an exclusion stands for up to twelve
 * characters of the same clause (律师事务所*上班), in a Chinese term for up to six. In every term a
 * group `(a|b|…)` stands for each of its alternatives (砍(了|死)(你|他); an empty one makes it optional).
 */
const signal = z.strictObject({
  zh: terms.min(1, 'needs at least one Chinese term'),
  en: terms.min(1, 'needs at least one English term'),
  exclude: terms,
  /**
   * Terms that are a signal only in a context: they count when the complaint also has one of the
   * `context` words, not negated, anywhere in it (写一篇 by someone who runs a 自媒体 account).
   */
  contextual: z.strictObject({ zh: terms, en: terms, context: bilingual }).optional(),
});

export const TRIAGE_SIGNAL_NAMES = [
  'legalDispute',
  'massIncident',
  'reputationDamage',
  'mediaThreat',
  'regulatorInvolved',
  'insult',
  'anger',
  'threat',
  'selfHarmOrViolence',
] as const;
export type TriageSignalName = (typeof TRIAGE_SIGNAL_NAMES)[number];

const triageSchema = z.strictObject({
  agitation: z.strictObject({
    /** The analyzer's negative score (0–1) at or above which the customer counts as agitated. */
    negativeSentimentThreshold: z.number().gt(0).lte(1),
    /** This many consecutive ！/! count as shouting. */
    repeatedExclamationMin: z.number().int().min(2),
  }),
  massIncident: z.strictObject({
    /** "三十多户", "十几个客户", "a group of fifty investors": a group this large or larger. */
    minGroupSize: z.number().int().min(2),
    /** Who the group must be for a bare number to count (客户, 投资者, investors…). */
    groupNouns: bilingual,
    /**
     * Groups named without a number (一群人, 好多客户, 我们这些人, a bunch of us). Like a number of
     * mere people (二十几个人, twenty people) they count only when they act together.
     */
    groupPhrases: bilingual,
    /**
     * Acting together (一起, 商量好, 约好, 去*营业部, 讨说法, together, we're all going…), not negated, in
     * the group's clause — or in its sentence when the group includes the complainant (我们…, of us).
     */
    togetherness: bilingual,
  }),
  amount: z.strictObject({
    /** An amount right after these is the loss (损失8万, lost 80,000) and wins over other amounts. */
    lossCues: bilingual,
    /** An amount right after (or right before) these is a sum insured, not a loss (保额100万). */
    sumInsuredCues: bilingual,
    /** …unless the claim on it was refused or is unpaid (拒赔, 一分没给), in which case the sum insured is what is at stake. */
    claimRefusedCues: bilingual,
    /**
     * The customer demands an amount back in full (80万全部退回来, 全额退还80万, a full refund of 800k):
     * that amount is what is at stake, whatever share of it a surrender or refund would pay.
     */
    fullRefundCues: bilingual,
    /**
     * The insured thing is a total loss (推定全损, written off): the whole sum insured is claimed, so
     * it is what is at stake even when the claim has not been refused.
     */
    totalLossCues: bilingual,
    /** Amounts that are never a loss (年收入30万, monthly salary of 20k). */
    notLossCues: bilingual,
    /**
     * An amount right after (or right before) these is a principal — what was invested, bought or
     * deposited (投了80万, 本金, invested 800k) — not a loss: it counts only when the text says money
     * was lost (a loss cue) and states no loss amount (买了60万的理财，全亏了 → 60万).
     */
    principalCues: bilingual,
    /** What is left of a principal (只剩40万, only 200k left): the loss is the principal minus it. */
    remainingCues: bilingual,
  }),
  negation: z.strictObject({
    /** How many words before a signal a negation may stand (bridging words in between only). */
    windowTokens: z.number().int().min(1).max(10),
    markers: bilingual,
    /** Words a negation may reach across: 我不[打算]起诉, not [going to] sue. */
    bridges: bilingual,
    /** Phrases that contain a negation word but do not negate: 不得不, 要不要. */
    notNegation: bilingual,
    /** Negation right after the signal: 起诉就算了. */
    after: bilingual,
    /**
     * Someone else's suggestion the customer turns down: a signal after a `reporters` phrase in its
     * clause (朋友说可以找律师, 本来想起诉, my friend said I should get a lawyer) does not count when a
     * `rejections` phrase follows in the rest of that clause or the next two (但我觉得没必要, but I
     * don't want to). Without the rejection the suggestion counts like any mention.
     */
    rejectedSuggestion: z.strictObject({ reporters: bilingual, rejections: bilingual }),
  }),
  hypothetical: z.strictObject({
    /** 如果, 要是, if, what if… before the signal in the same clause. */
    markers: bilingual,
    /** 的话 after the signal: 起诉的话要多久？ */
    conditionEnd: bilingual,
    /** 就, 否则, I will… between the condition and the signal: an ultimatum, which counts. */
    consequence: bilingual,
    /** Signals that count even when hypothetical (要是…我真的活不下去了): safety first. */
    stillCounts: z.array(z.enum(TRIAGE_SIGNAL_NAMES)),
  }),
  /** Marks a journalist or post as something that already happened (已经找了记者). */
  perfective: bilingual,
  signals: z.strictObject({
    legalDispute: signal,
    massIncident: signal,
    reputationDamage: signal,
    mediaThreat: signal,
    regulatorInvolved: signal,
    insult: signal,
    /** Words of fury (气死了, 忍无可忍, I'm furious): an agitated customer, whatever the analyzer says. */
    anger: signal,
    threat: signal,
    selfHarmOrViolence: signal,
  }),
});

const routingRule = z
  .strictObject({
    when: z.strictObject({
      businessLine: z.enum(['insurance', 'securities']).optional(),
      type: z.enum(['insurance_product_inquiry', 'claims_dispute', 'securities_trading', 'investment_advice', 'other']).optional(),
    }),
    department: departmentCode,
  })
  .refine((r) => r.when.businessLine !== undefined || r.when.type !== undefined, { message: 'a routing rule needs businessLine or type in "when"', path: ['when'] });

const dimensionCode = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case code (a-z, 0-9, _)');

export const complaintPolicySchema = z
  .strictObject({
    version: z.string().trim().min(1, 'must name the policy version'),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    serviceHours: z.strictObject({ start: hhmm, end: hhmm }),
    urgent: z.strictObject({ initialResponseMinutes: positiveInt, l1InitialResponseMinutes: positiveInt }),
    l1: z.strictObject({ amountYuan: yuan, forwardToLeadershipMinutes: positiveInt, meetingHours: positiveInt, feedbackBusinessDays: positiveInt }),
    l2: z.strictObject({
      toSupervisorHours: positiveInt,
      investigateBusinessDays: positiveInt,
      replyHoursAfterResult: positiveInt,
      feedbackBusinessDays: positiveInt,
    }),
    l3: z.strictObject({ amountYuan: yuan, feedbackBusinessDays: positiveInt }),
    investigation: z.strictObject({ days: positiveInt, maxDays: positiveInt, extendedMaxDays: positiveInt }),
    statutory: z.strictObject({ decisionDays: positiveInt }),
    survey: z.strictObject({ delayHours: positiveInt, reminderAfterHours: positiveInt, noResponseAfterDays: positiveInt }),
    review: z.strictObject({ windowDays: positiveInt }),
    /**
     * Compensation approval by amount (requirements.md "Defaults"): up to teamLeadMaxYuan the team
     * lead, up to departmentHeadMaxYuan the department head, above it the leadership group; `approvers`
     * names the staff role of each band (that role or a higher one: agent < supervisor < leadership;
     * an agent or supervisor must belong to the complaint's department). Nobody approves their own request.
     */
    compensationApproval: z.strictObject({
      teamLeadMaxYuan: yuan,
      departmentHeadMaxYuan: yuan,
      approvers: z.strictObject({ teamLead: approverRole, departmentHead: approverRole, leadershipGroup: approverRole }),
    }),
    retention: z.strictObject({ insuranceYears: positiveInt, securitiesYears: positiveInt }),
    monthlyReport: z.strictObject({ byBusinessDay: positiveInt }),
    /** Who is told when nobody acts (requirements.md, "alert ladder"). 0 = at once. */
    alertLadder: z.strictObject({
      l1: z.strictObject({ supervisorAfterMinutes: nonNegativeInt, leadershipAfterMinutes: positiveInt }),
      l2: z.strictObject({ supervisorAfterMinutes: nonNegativeInt, leadershipAfterBusinessHours: positiveInt }),
    }),
    /** SLA timers (services/sla): warn at this share of a deadline's window; how often Redis is made to match the database. */
    sla: z
      .strictObject({ warnAtPercent: z.number().int().min(1).max(99).default(80), reconcileIntervalMinutes: positiveInt.default(5) })
      .default({ warnAtPercent: 80, reconcileIntervalMinutes: 5 }),
    /** Same complainant, same matter, within this many days: a repeat complaint (one tier up). */
    repeat: z.strictObject({ windowDays: positiveInt }),
    /**
     * What special reports (R-SPECIAL) group by besides type and channel: the product catalogue (with
     * words that name a product, so intake can record it from the customer's own text), customer
     * groups and regions. Staff set or correct them on the complaint; reports count unset as "not recorded".
     */
    reportDimensions: z
      .strictObject({
        products: z.array(z.strictObject({
          code: dimensionCode, businessLine: z.enum(['insurance', 'securities']), zh: z.string().min(1), en: z.string().min(1),
          keywords: z.array(z.string().trim().min(1)).default([]),
        })),
        customerGroups: z.array(z.strictObject({ code: dimensionCode, zh: z.string().min(1), en: z.string().min(1) })),
        regions: z.array(z.strictObject({ code: dimensionCode, zh: z.string().min(1), en: z.string().min(1) })),
      })
      .default({ products: [], customerGroups: [], regions: [] }),
    /** The responsible department: the first rule whose every condition holds, else the default. */
    routing: z.strictObject({ rules: z.array(routingRule), defaultDepartment: departmentCode }),
    triage: triageSchema,
  })
  .superRefine((p, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.l3.amountYuan >= p.l1.amountYuan) problem(['l3', 'amountYuan'], `must be below l1.amountYuan (${p.l1.amountYuan})`);
    if (p.serviceHours.start >= p.serviceHours.end) problem(['serviceHours', 'end'], 'must be after serviceHours.start');
    if (p.urgent.l1InitialResponseMinutes > p.urgent.initialResponseMinutes) {
      problem(['urgent', 'l1InitialResponseMinutes'], 'must not be longer than urgent.initialResponseMinutes');
    }
    if (p.investigation.days > p.investigation.maxDays) problem(['investigation', 'days'], 'must not exceed investigation.maxDays');
    if (p.investigation.maxDays > p.investigation.extendedMaxDays) problem(['investigation', 'maxDays'], 'must not exceed investigation.extendedMaxDays');
    if (p.compensationApproval.teamLeadMaxYuan >= p.compensationApproval.departmentHeadMaxYuan) {
      problem(['compensationApproval', 'teamLeadMaxYuan'], 'must be below compensationApproval.departmentHeadMaxYuan');
    }
    const rank = { agent: 0, supervisor: 1, leadership: 2 } as const;
    const approvers = p.compensationApproval.approvers;
    if (rank[approvers.teamLead] > rank[approvers.departmentHead] || rank[approvers.departmentHead] > rank[approvers.leadershipGroup]) {
      problem(['compensationApproval', 'approvers'], 'a higher band must not need a lower role (teamLead ≤ departmentHead ≤ leadershipGroup)');
    }
    if (p.survey.reminderAfterHours <= p.survey.delayHours) problem(['survey', 'reminderAfterHours'], 'must be after survey.delayHours');
    for (const list of ['products', 'customerGroups', 'regions'] as const) {
      const seen = new Set<string>();
      p.reportDimensions[list].forEach((d, i) => {
        if (seen.has(d.code)) problem(['reportDimensions', list, i, 'code'], `duplicate code ${d.code}`);
        seen.add(d.code);
      });
    }
  });

export type ComplaintPolicy = z.infer<typeof complaintPolicySchema>;
export type TriagePolicy = ComplaintPolicy['triage'];
export type SignalVocabulary = TriagePolicy['signals'][TriageSignalName];
export type Bilingual = TriagePolicy['perfective'];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
