// Canadian identifiers and contact details have the formats Canadian systems expect.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentReference, Location, Patient, Practitioner, PractitionerRole } from '../../src/fhir/r4.js';
import { IDENTIFIER_SYSTEMS, IDENTIFIER_VERSION_EXTENSION } from '../../seed/codes/systems.js';
import { ontarioHealthCardNumber } from '../../seed/modules/patient.js';
import { generate, type Population } from './population.js';

/** The standard Luhn check over a whole number, written independently of the generator. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

let population: Population;
beforeAll(() => {
  population = generate({ patients: 150, seed: 2, referenceDate: '2026-01-01' });
});
const of = <T>(type: string) => (population.byType.get(type) ?? []).map((r) => r.resource as T);

describe('identifiers', () => {
  it('computes the Ontario health card check digit', () => {
    expect(ontarioHealthCardNumber('123456789')).toBe('1234567897');
    expect(luhnValid('1234567897')).toBe(true);
    expect(luhnValid('1234567890')).toBe(false);
  });

  it('gives every patient one Ontario health card number with a version code', () => {
    const numbers = new Set<string>();
    for (const p of of<Patient>('Patient')) {
      expect(p.identifier).toHaveLength(1);
      const hcn = p.identifier![0]!;
      expect(hcn.system).toBe(IDENTIFIER_SYSTEMS.ontarioHealthCard);
      expect(hcn.type?.coding?.[0]?.code).toBe('JHN');
      expect(hcn.value).toMatch(/^[1-9]\d{9}$/);
      expect(luhnValid(hcn.value!)).toBe(true);
      expect(hcn.extension).toEqual([{ url: IDENTIFIER_VERSION_EXTENSION, valueString: expect.stringMatching(/^[A-Z]{2}$/) }]);
      numbers.add(hcn.value!);
    }
    expect(numbers.size).toBe(150);
  });

  it('gives practitioners Ontario licence numbers and roles at their clinic', () => {
    const practitioners = of<Practitioner>('Practitioner');
    for (const pr of practitioners) {
      const id = pr.identifier![0]!;
      expect(id.type?.coding?.[0]?.code).toBe('LN');
      if (pr.name![0]!.prefix?.[0] === 'Dr.') {
        expect(id.system).toBe(IDENTIFIER_SYSTEMS.ontarioPhysicianLicence);
        expect(id.value).toMatch(/^\d{5,6}$/);
      } else {
        expect(id.system).toBe(IDENTIFIER_SYSTEMS.ontarioNurseLicence);
        expect(id.value).toMatch(/^\d{8}$/);
      }
    }
    const roles = of<PractitionerRole>('PractitionerRole');
    expect(roles.map((r) => r.practitioner!.reference).sort()).toEqual(practitioners.map((p) => `Practitioner/${p.id}`).sort());
  });

  it('addresses everyone in Ontario with Canadian postal codes and phone numbers', () => {
    for (const r of [...of<Patient>('Patient'), ...of<Practitioner>('Practitioner')]) {
      for (const a of r.address!) {
        expect(a.state).toBe('ON');
        expect(a.country).toBe('CA');
        // Ontario postal codes start with K, L, M, N or P; no D, F, I, O, Q or U anywhere.
        expect(a.postalCode).toMatch(/^[KLMNP]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/);
      }
      for (const t of r.telecom!.filter((t) => t.system === 'phone')) expect(t.value).toMatch(/^\(\d{3}\) [2-9]\d{2}-\d{4}$/);
    }
  });

  it('attaches every patient to a family physician and clinic', () => {
    for (const p of of<Patient>('Patient')) {
      const gp = population.byKey.get(p.generalPractitioner![0]!.reference!);
      expect(gp?.type).toBe('Practitioner');
      expect((gp!.resource as Practitioner).name![0]!.prefix).toEqual(['Dr.']);
      expect(population.byKey.get(p.managingOrganization!.reference!)?.type).toBe('Organization');
    }
  });

  it('gives every clinic (an Organization patients are attached to) a site (Location) it manages', () => {
    const clinics = [...new Set(of<Patient>('Patient').map((p) => p.managingOrganization!.reference!))];
    const managed = new Set(of<Location>('Location').map((l) => l.managingOrganization!.reference!));
    expect(clinics.length).toBeGreaterThan(0);
    for (const clinic of clinics) {
      expect(population.byKey.get(clinic)?.type).toBe('Organization');
      expect(managed.has(clinic), `${clinic} has a Location`).toBe(true);
    }
  });
});

describe('notes', () => {
  it('carries each note inline: text/plain, base64 data that decodes to the note', () => {
    const notes = of<DocumentReference>('DocumentReference');
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) {
      const attachment = n.content[0]!.attachment;
      expect(attachment.contentType).toBe('text/plain');
      const text = Buffer.from(attachment.data!, 'base64').toString('utf8');
      expect(Buffer.from(text, 'utf8').toString('base64')).toBe(attachment.data);
      expect(text.length).toBeGreaterThan(20);
      expect(text.length).toBeLessThan(4000);
    }
  });
});
