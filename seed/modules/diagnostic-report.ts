// Laboratory reports (DiagnosticReport): one per panel ordered, grouping its results.
import type { DiagnosticReport } from '../../src/fhir/r4.js';
import { LAB_PANELS, LAB_SECTION } from '../codes/observations.js';
import { emit, ref, type GeneratedResource } from '../emit.js';
import type { PatientContext } from '../patient-context.js';
import { isoInstant } from '../time.js';

export function generateDiagnosticReports(ctx: PatientContext): GeneratedResource[] {
  const lab = ctx.population.directory.lab.organizationId;
  return ctx.labReports.map((r) => {
    const panel = LAB_PANELS[r.panel];
    return emit<DiagnosticReport>(ctx.population, 'DiagnosticReport', r.id, ctx.patientId, r.issuedMs, {
      status: 'final',
      category: [{ coding: [LAB_SECTION] }],
      code: { coding: [panel.code], text: panel.text },
      subject: ref('Patient', ctx.patientId),
      encounter: ref('Encounter', r.visit.id),
      effectiveDateTime: isoInstant(r.collectedMs),
      issued: isoInstant(r.issuedMs),
      performer: [ref('Organization', lab)],
      resultsInterpreter: [ref('Practitioner', r.visit.staff.practitionerId)],
      result: r.observationIds.map((id) => ref('Observation', id)),
      conclusion: r.abnormal.length > 0 ? `Abnormal: ${r.abnormal.join('; ')}.` : 'All results within reference range.',
    });
  });
}
