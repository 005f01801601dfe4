// Provenance for the records the generator creates, for `includeAssociatedData`: per patient,
// one Provenance of the record set's creation (target: every record of the patient) and a
// later one of the patient's demographics being reviewed (target: the Patient alone); and one
// for the directory (practitioners, organizations, locations). So a Patient has two
// Provenances, the later its latest, and every other record one. Derived from the stored rows
// with SQL, a patient at a time; ids are name-based UUIDs, so the same data gives the same ids.
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../src/store/database.js';
import { createResourceRepository, type NewResource } from '../src/store/resource-repository.js';

const NAMESPACE = '8d2f6b1c-4e7a-5c39-b0d8-1a6e9f3c2b74';
const ACTIVITY = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const GENERATOR = { display: 'Verto FHIR mock data generator' };

export interface ProvenanceStamp {
  /** Mixed into every id: the same data and seed give the same ids. */
  idSeed: string;
  /** When the demographics review is recorded: after every generated record. */
  reviewedAt: string;
}

interface Target {
  rid: number;
  reference: string;
}

function provenance(id: string, targets: readonly Target[], recorded: string, code: 'CREATE' | 'UPDATE', display: string) {
  return {
    resourceType: 'Provenance',
    id,
    meta: { lastUpdated: recorded },
    target: targets.map((t) => ({ reference: t.reference })),
    recorded,
    activity: { coding: [{ system: ACTIVITY, code, display }] },
    agent: [{ who: GENERATOR }],
  };
}

/** Adds the Provenance resources to a database holding a population; returns how many. */
export function addProvenance(db: Db, { idSeed, reviewedAt }: ProvenanceStamp): number {
  // A patient's records by an index scan, not a scan of the whole table per patient; the
  // index exists only while the Provenance is written.
  db.exec('CREATE INDEX provenance_build_patient ON resource(patient_id, rid)');
  try {
    return addAll(db, { idSeed, reviewedAt });
  } finally {
    db.exec('DROP INDEX provenance_build_patient');
  }
}

function addAll(db: Db, { idSeed, reviewedAt }: ProvenanceStamp): number {
  const resources = createResourceRepository(db);
  const ridOf = db.prepare("SELECT rid FROM resource WHERE type = 'Provenance' AND id = ?").pluck();
  const link = db.prepare('INSERT INTO provenance_target (target_rid, provenance_rid, latest) VALUES (?, ?, ?)');
  const patients = db.prepare("SELECT rid, id FROM resource WHERE type = 'Patient' ORDER BY rid").raw().all() as [number, string][];
  // One patient's records at a time, never the whole population in memory.
  const recordsOf = db.prepare(
    "SELECT rid, type || '/' || id, last_updated FROM resource WHERE patient_id = ? AND type NOT IN ('Provenance', 'Group') ORDER BY rid",
  );
  const directory = db
    .prepare("SELECT rid, type || '/' || id, last_updated FROM resource WHERE patient_id IS NULL AND type NOT IN ('Provenance', 'Group') ORDER BY rid")
    .raw()
    .all() as [number, string, string][];
  let added = 0;
  const write = (p: ReturnType<typeof provenance>, patientId: string | null, targets: readonly Target[], latest: (t: Target) => boolean) => {
    const row: NewResource = { type: 'Provenance', id: p.id, patientId, lastUpdated: p.recorded, json: JSON.stringify(p) };
    resources.insertMany([row]);
    const rid = ridOf.get(p.id) as number;
    for (const t of targets) link.run(t.rid, rid, latest(t) ? 1 : 0);
    added++;
  };
  const run = db.transaction(() => {
    for (const [patientRid, patientId] of patients) {
      const rows = recordsOf.raw().all(patientId) as [number, string, string][];
      const targets = rows.map(([rid, reference]) => ({ rid, reference }));
      const created = rows.reduce((max, [, , at]) => (at > max ? at : max), '');
      const creation = provenance(uuidv5(`${idSeed}:created:${patientId}`, NAMESPACE), targets, created, 'CREATE', 'create');
      write(creation, patientId, targets, (t) => t.rid !== patientRid);
      const patient = [{ rid: patientRid, reference: `Patient/${patientId}` }];
      const review = provenance(uuidv5(`${idSeed}:reviewed:${patientId}`, NAMESPACE), patient, reviewedAt, 'UPDATE', 'revise');
      write(review, patientId, patient, () => true);
    }
    if (directory.length > 0) {
      const targets = directory.map(([rid, reference]) => ({ rid, reference }));
      const created = directory.reduce((max, [, , at]) => (at > max ? at : max), '');
      write(provenance(uuidv5(`${idSeed}:directory`, NAMESPACE), targets, created, 'CREATE', 'create'), null, targets, () => true);
    }
  });
  run();
  return added;
}
