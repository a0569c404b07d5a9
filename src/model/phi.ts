// Protected health information in everything the auditor says: member ids masked to their
// last 4 characters by default; under `masked`, no value of an input that could identify a
// patient (a CSV cell, a name, an address, a birth date, a note) reaches a message, a report or
// summary.json. One module, so that every path applies the same rule. Imports nothing of ours.
import crypto, { createHash, randomBytes } from 'node:crypto';

export type PhiMode = 'masked' | 'full';

/** This process's key for member keys, when a run gives none (the rule tester, tests). */
const PROCESS_SALT = randomBytes(16).toString('hex');

/**
 * A member id as the rules that need only its equality see it (duplicates, MUE per day,
 * frequency per member): a keyed hash, so that no temporary record holds the member id itself.
 * A run uses one key for all its threads and steps (StageOptions.memberSalt).
 */
export function memberKey(memberId: string | null, salt: string = PROCESS_SALT): string | null {
  if (memberId === null) return null;
  // A claim asks twice (its drug lines, its markers), and a member's claims often come together: the last key is kept.
  if (memberId === last.memberId && salt === last.salt) return last.key;
  const key = keyedHash(salt, memberId);
  last = { memberId, salt, key };
  return key;
}

let last: { memberId: string | null; salt: string; key: string | null } = { memberId: null, salt: '', key: null };

/**
 * SHA-256 of the run's secret key, a NUL and the member id: a keyed hash for equality only (the
 * key is random, fixed-length and never written). One-shot crypto.hash (Node 20.12+) is a fifth
 * of an HMAC's cost; older Node makes the same digest with createHash.
 */
const keyedHash: (salt: string, memberId: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (salt, memberId) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: 'base64url'): string }).hash('sha256', `${salt}\u0000${memberId}`, 'base64url').slice(0, 22)
    : (salt, memberId) => createHash('sha256').update(`${salt}\u0000${memberId}`).digest('base64url').slice(0, 22);

export function maskMemberId(value: string | null, mode: PhiMode): string | null {
  if (value === null || mode === 'full') return value;
  const trimmed = value.trim();
  return trimmed.length <= 4 ? '****' : `****${trimmed.slice(-4)}`;
}

/** What a masked value says instead of itself. */
export const REDACTED = '--phi full shows it';

/**
 * The shape of a value without the value: letters become A, digits 9, and punctuation stays,
 * so "13/45/2025" reads 99/99/9999 and a name reads AAAA AAA: enough to see a format problem,
 * nothing of the patient.
 */
export function valueShape(value: string, max = 40): string {
  let shape = '';
  for (const ch of value.slice(0, max)) {
    if (/\p{L}/u.test(ch)) shape += 'A';
    else if (/\p{N}/u.test(ch)) shape += '9';
    else if (/[\p{P}\p{S} ]/u.test(ch) && ch.charCodeAt(0) < 0x7f) shape += ch;
    else shape += '?';
  }
  return value.length > max ? `${shape}…` : shape;
}

/** Segment ids of the 837 and 835 and their envelopes: the only words a masked excerpt names as ids. */
export const X12_SEGMENT_IDS: ReadonlySet<string> = new Set(
  (
    'ISA IEA GS GE ST SE BHT BPR TRN CUR REF DTM DTP N1 N2 N3 N4 PER RDM LX TS3 TS2 CLP CAS NM1 MIA MOA AMT QTY SVC LQ PLB ' +
    'HL PRV SBR PAT DMG CLM PWK CN1 K3 NTE CR1 CR2 CR3 CR4 CR5 CR6 CR7 CRC HI HCP CL1 SV1 SV2 SV3 SV4 SV5 SV6 SV7 TOO LIN CTP SVD MEA HSD OI MSG MPI'
  ).split(' '),
);

/**
 * X12 segments shown verbatim in a masked issue: envelopes and segments that carry codes,
 * numbers and dates only. Every other segment (NM1, N3, N4, DMG, PER, PAT, NTE, K3, SV1 and
 * SV2 whose descriptions are free text, SBR with its group name, REF…) keeps its id and loses its elements.
 */
const CODE_SEGMENTS = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'BHT', 'HL', 'LX', 'CLM', 'DTP', 'LIN', 'CTP', 'HI', 'CL1', 'PRV', 'AMT']);

/**
 * A snippet of X12 text in an issue: verbatim for code segments, else the segment id only. When
 * the snippet is not known to end where its segment does (`endKnown` false: a damaged ISA, the
 * unterminated tail of a file), only its structure: the id, and the shape of the rest
 * (`ISA*99*A`), never a value. A word that is not an X12 segment id is shaped too (a file
 * starting "DOE,JANE" is not an X12 segment, and DOE is a name).
 */
export function guardSegmentSnippet(value: string, mode: PhiMode, endKnown = true): string {
  if (mode === 'full') return value;
  const word = /^[A-Z0-9]{2,3}(?=[^A-Za-z0-9]|$)/.exec(value)?.[0];
  const id = word !== undefined && X12_SEGMENT_IDS.has(word) ? word : undefined;
  if (!endKnown) return id === undefined ? valueShape(value, 80) : `${id}${valueShape(value.slice(id.length), 80)}`;
  if (id === undefined) return word === undefined ? `[${value.length} characters; ${REDACTED}]` : `${valueShape(word)}${value.charAt(word.length)}[${REDACTED}]`;
  if (CODE_SEGMENTS.has(id)) return value;
  return `${id}${value.charAt(id.length)}[${REDACTED}]`;
}
