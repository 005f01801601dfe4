// Groups for Group-level exports: one per clinic (its attached patients) and one per common
// chronic condition (patients with it). Derived from the stored population with SQL, so they
// follow whatever the generator made or a team imported; ids are name-based UUIDs, so the
// same data gives the same Groups.
import { v5 as uuidv5 } from 'uuid';
import type { Group } from '../src/fhir/r4.js';
import type { Db } from '../src/store/database.js';
import { createGroupRepository } from '../src/store/group-repository.js';
import { createResourceRepository } from '../src/store/resource-repository.js';

const NAMESPACE = '3f6c2a4e-6d1b-5a8e-9c47-0b8f2d1e7a53';
export const GROUP_IDENTIFIER_SYSTEM = 'urn:verto-mock:group';
/** How many condition cohorts: the most common conditions by number of patients. */
const COHORTS = 3;

interface Cohort {
  key: string;
  name: string;
  members: string[];
}

/** What makes the Groups' ids and their `meta.lastUpdated`. */
export interface GroupStamp {
  /** Mixed into every id: the same data and seed give the same ids. */
  idSeed: string;
  lastUpdated: string;
}

function clinicCohorts(db: Db): Cohort[] {
  const clinics = db
    .prepare("SELECT id, json_extract(json, '$.name') AS name FROM resource WHERE type = 'Organization' ORDER BY rid")
    .all() as { id: string; name: string | null }[];
  // One pass over the patients, in rid order, rather than one per clinic.
  const members = new Map<string, string[]>();
  const patients = db
    .prepare("SELECT id, json_extract(json, '$.managingOrganization.reference') AS org FROM resource WHERE type = 'Patient' ORDER BY rid")
    .raw()
    .iterate() as IterableIterator<[string, string | null]>;
  for (const [id, org] of patients) {
    if (org === null) continue;
    const list = members.get(org);
    if (list) list.push(id);
    else members.set(org, [id]);
  }
  return clinics
    .map((c) => ({ key: `clinic-${c.id}`, name: `Patients of ${c.name ?? `Organization/${c.id}`}`, members: members.get(`Organization/${c.id}`) ?? [] }))
    .filter((c) => c.members.length > 0);
}

function conditionCohorts(db: Db): Cohort[] {
  const codes = db
    .prepare(
      `SELECT json_extract(c.value, '$.code') AS code, MIN(json_extract(c.value, '$.display')) AS display,
              COUNT(DISTINCT r.patient_id) AS patients
       FROM resource r, json_each(r.json, '$.code.coding') c
       WHERE r.type = 'Condition' AND json_extract(c.value, '$.system') = 'http://snomed.info/sct'
       GROUP BY code ORDER BY patients DESC, code LIMIT ?`,
    )
    .all(COHORTS) as { code: string; display: string; patients: number }[];
  // The members of all of them in one pass over the Conditions.
  const members = new Map<string, string[]>(codes.map((c) => [c.code, []]));
  const rows = db
    .prepare(
      `SELECT DISTINCT json_extract(c.value, '$.code') AS code, r.patient_id
       FROM resource r, json_each(r.json, '$.code.coding') c
       WHERE r.type = 'Condition' AND json_extract(c.value, '$.code') IN (SELECT value FROM json_each(?))
       ORDER BY code, r.patient_id`,
    )
    .raw()
    .iterate(JSON.stringify(codes.map((c) => c.code))) as IterableIterator<[string, string]>;
  for (const [code, patientId] of rows) members.get(code)!.push(patientId);
  return codes.map((c) => ({
    key: `snomed-${c.code}`,
    name: `Patients with ${String(c.display).replace(/ \([a-z ]+\)$/, '')}`,
    members: members.get(c.code)!,
  }));
}

/** Adds the Groups to a database holding a population; returns how many. */
export function addGroups(db: Db, { idSeed, lastUpdated }: GroupStamp): number {
  const resources = createResourceRepository(db);
  const groups = createGroupRepository(db);
  const cohorts = [...clinicCohorts(db), ...conditionCohorts(db)];
  for (const cohort of cohorts) {
    const id = uuidv5(`${idSeed}:${cohort.key}`, NAMESPACE);
    const group: Group = {
      resourceType: 'Group',
      id,
      meta: { lastUpdated },
      identifier: [{ system: GROUP_IDENTIFIER_SYSTEM, value: cohort.key }],
      active: true,
      type: 'person',
      actual: true,
      name: cohort.name,
      quantity: cohort.members.length,
      member: cohort.members.map((p) => ({ entity: { reference: `Patient/${p}` } })),
    };
    resources.insertMany([{ type: 'Group', id, patientId: null, lastUpdated, json: JSON.stringify(group) }]);
    groups.addMembers(id, cohort.members);
  }
  return cohorts.length;
}
