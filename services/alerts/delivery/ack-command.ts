// The chat reply that acknowledges an alert: "ack TS20261128-000042" (or "确认 TS…").
import { normalizeComplaintNumber } from '../../complaints/complaint-number';

export function ackCommandText(complaintNumber: string): string {
  return `ack ${complaintNumber}`;
}

/** The complaint number of an acknowledge reply, or null when the text is not one. */
export function parseAckCommand(text: string): string | null {
  const match = /^\s*(?:ack|确认)\s*[:：]?\s*(.+?)\s*$/i.exec(text.normalize('NFKC'));
  return match?.[1] ? normalizeComplaintNumber(match[1]) : null;
}
