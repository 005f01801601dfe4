// Clinical notes (DocumentReference): a short SOAP note for every visit, inline as base64
// plain text, written from what the other records say happened.
import type { DocumentReference } from '../../src/fhir/r4.js';
import { NOTE_TYPES, LAB_PANELS } from '../codes/observations.js';
import { ACUTE_CONDITIONS, CHRONIC_CONDITIONS } from '../codes/conditions.js';
import { ENCOUNTER_TYPES, PROCEDURES } from '../codes/care.js';
import { MEDICATIONS } from '../codes/medications.js';
import { VACCINES } from '../codes/immunizations.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoDate, isoInstant } from '../time.js';
import type { Visit } from '../story/story-types.js';
import { signedAt } from './encounter.js';

const VISIT_TITLES: Record<Visit['kind'], string> = {
  intake: 'New patient visit',
  periodic: 'Periodic health review',
  wellChild: 'Well-baby visit',
  followUp: 'Follow-up visit',
  problem: 'Visit for a new concern',
  acute: 'Same-day visit',
  phone: 'Telephone visit',
  vaccination: 'Immunization visit',
};

export function noteText(ctx: PatientContext, visit: Visit): string {
  const who = `${visit.staff.kind === 'physician' ? 'Dr. ' : ''}${visit.staff.given} ${visit.staff.family}${visit.staff.kind === 'physician' ? '' : ', NP'}`;
  const title = `${VISIT_TITLES[visit.kind]}${visit.site === null ? ' (by phone)' : ''}`;
  const subjective = visit.acute
    ? `Presents with symptoms for ${Math.max(1, Math.round((visit.startMs - visit.acute.onsetMs) / 86_400_000))} days.`
    : visit.reviews.length > 0
      ? `Review of ${visit.reviews.map((e) => CHRONIC_CONDITIONS[e.key].text.toLowerCase()).join(', ')}. Taking medications as prescribed.`
      : visit.kind === 'vaccination'
        ? 'Here for immunization. No fever today.'
        : 'No new concerns.';
  const findings = ctx.findings.get(visit.id) ?? [];
  const assessment = [
    ...visit.diagnoses.map((e) => `${CHRONIC_CONDITIONS[e.key].text} (new)`),
    ...(visit.acute ? [ACUTE_CONDITIONS[visit.acute.key].text] : []),
    ...visit.reviews.map((e) => `${CHRONIC_CONDITIONS[e.key].text}: stable`),
  ];
  const plan = [
    ...visit.prescriptions.map((rx) => `${rx.renews ? 'Renewed' : 'Started'} ${MEDICATIONS[rx.med].text.toLowerCase()}.`),
    ...(visit.panels.length > 0 ? [`Requisition: ${visit.panels.map((p) => LAB_PANELS[p].text.toLowerCase()).join(', ')}.`] : []),
    ...visit.procedures.map((p) => `${PROCEDURES[p].display.replace(/ \(procedure\)$/, '')}.`),
    ...visit.vaccines.map((v) => `Given ${VACCINES[v].display} vaccine.`),
  ];
  return [
    `${title} - ${isoDate(visit.startMs)} - ${who}`,
    `Reason: ${ENCOUNTER_TYPES[visit.kind].display.replace(/ \(procedure\)$/, '')}`,
    `S: ${subjective}`,
    `O: ${findings.length > 0 ? findings.join(', ') + '.' : visit.site === null ? 'Virtual visit; no examination.' : 'Unremarkable.'}`,
    `A: ${assessment.length > 0 ? assessment.join('; ') + '.' : 'Well.'}`,
    `P: ${plan.length > 0 ? plan.join(' ') : 'Follow up as needed.'}`,
    '',
  ].join('\n');
}

export function generateDocumentReferences(ctx: PatientContext): GeneratedResource[] {
  return ctx.story.visits.map((visit) => {
    const signed = signedAt(visit);
    const type = visit.kind === 'intake' ? NOTE_TYPES.historyAndPhysical : NOTE_TYPES.progress;
    const author = ref('Practitioner', visit.staff.practitionerId);
    return emit<DocumentReference>(ctx.population, 'DocumentReference', visit.noteId, ctx.patientId, signed, {
      status: 'current',
      docStatus: 'final',
      type: { coding: [type], text: type.display },
      subject: ref('Patient', ctx.patientId),
      date: isoInstant(signed),
      author: [author],
      authenticator: author,
      custodian: ref('Organization', ctx.clinic.organizationId),
      description: VISIT_TITLES[visit.kind],
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            language: 'en-CA',
            data: Buffer.from(noteText(ctx, visit), 'utf8').toString('base64'),
            title: `${VISIT_TITLES[visit.kind]} ${isoDate(visit.startMs)}`,
            creation: isoInstant(signed),
          },
        },
      ],
      context: {
        encounter: [ref('Encounter', visit.id)],
        period: { start: isoInstant(visit.startMs), end: isoInstant(visit.endMs) },
      },
    });
  });
}
