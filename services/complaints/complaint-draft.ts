// What intake collects (R-DETAILS), validated again at the service boundary: dialog state is JSON
// read back from storage, so it is parsed, never cast.
import { z } from 'zod';

export const BUSINESS_LINES = ['insurance', 'securities'] as const;
export const COMPLAINT_TYPES = ['insurance_product_inquiry', 'claims_dispute', 'securities_trading', 'investment_advice', 'other'] as const;
export const FEEDBACK_METHODS = ['phone', 'sms', 'email', 'letter', 'chat'] as const;

export type BusinessLineName = (typeof BUSINESS_LINES)[number];
export type ComplaintTypeName = (typeof COMPLAINT_TYPES)[number];
export type FeedbackMethodName = (typeof FEEDBACK_METHODS)[number];

/** Types offered for each business line; `other` is always available. */
export const TYPES_BY_LINE: Record<BusinessLineName, readonly ComplaintTypeName[]> = {
  insurance: ['insurance_product_inquiry', 'claims_dispute', 'other'],
  securities: ['securities_trading', 'investment_advice', 'other'],
};

export const complaintDraftFields = z.object({
  businessLine: z.enum(BUSINESS_LINES),
  type: z.enum(COMPLAINT_TYPES),
  description: z.string().trim().min(2).max(2000),
  occurredOn: z.string().trim().max(100).nullable().default(null),
  referenceNumber: z.string().trim().max(32).nullable().default(null),
  claimedLossYuan: z.number().nonnegative().max(1e12).nullable().default(null),
  name: z.string().trim().min(1).max(40),
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'mainland mobile number'),
  email: z.string().email().max(254).nullable().default(null),
  feedbackMethod: z.enum(FEEDBACK_METHODS),
});

export const complaintDraftSchema = complaintDraftFields.refine((d) => d.feedbackMethod !== 'email' || d.email !== null, {
  message: 'an e-mail address is needed for feedback by e-mail',
  path: ['email'],
});

/**
 * What createComplaint accepts: a chat draft (always with a phone), or a complaint that came in
 * writing (e-mail, letter), which may have no phone: then the e-mail address identifies the complainant.
 */
export const writtenComplaintDraftSchema = complaintDraftFields
  .extend({ phone: complaintDraftFields.shape.phone.nullable().default(null) })
  .refine((d) => d.feedbackMethod !== 'email' || d.email !== null, {
    message: 'an e-mail address is needed for feedback by e-mail',
    path: ['email'],
  })
  .refine((d) => d.phone !== null || d.email !== null, { message: 'a phone or an e-mail address is needed', path: ['phone'] })
  .refine((d) => (d.feedbackMethod !== 'phone' && d.feedbackMethod !== 'sms') || d.phone !== null, {
    message: 'a phone number is needed for feedback by phone or SMS',
    path: ['phone'],
  });
export type WrittenComplaintDraft = z.infer<typeof writtenComplaintDraftSchema>;
export type WrittenComplaintDraftInput = z.input<typeof writtenComplaintDraftSchema>;

/** A draft being filled in, as kept in dialog state between turns. */
export const partialComplaintDraftSchema = complaintDraftFields.partial();
export type PartialComplaintDraft = z.infer<typeof partialComplaintDraftSchema>;

export type ComplaintDraft = z.infer<typeof complaintDraftSchema>;
export type ComplaintDraftInput = z.input<typeof complaintDraftSchema>;
