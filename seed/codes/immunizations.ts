// Vaccines on the Ontario publicly funded schedule, coded in CVX (CDC, "Vaccines administered"
// code set, short descriptions), with HL7 v3 codes for site and route.
import { SYSTEMS, type Code } from './systems.js';

const cvx = (code: string, display: string): Code => ({ system: SYSTEMS.cvx, code, display });

export const VACCINES = {
  dtapIpvHib: cvx('120', 'DTaP-Hib-IPV'),
  pneumoConjugate: cvx('133', 'Pneumococcal conjugate PCV 13'),
  rotavirus: cvx('119', 'rotavirus, monovalent'),
  menC: cvx('103', 'meningococcal C conjugate'),
  mmr: cvx('03', 'MMR'),
  varicella: cvx('21', 'varicella'),
  mmrv: cvx('94', 'MMRV'),
  dtapIpv: cvx('130', 'DTaP-IPV'),
  hepB: cvx('08', 'Hep B, adolescent or pediatric'),
  hpv9: cvx('165', 'HPV9'),
  menAcwy: cvx('136', 'Meningococcal MCV4O'),
  tdap: cvx('115', 'Tdap'),
  td: cvx('113', 'Td (adult) preservative free'),
  influenzaQuadrivalent: cvx('150', 'Influenza, injectable, quadrivalent, preservative free'),
  influenzaTrivalent: cvx('140', 'Influenza, seasonal, injectable, preservative free'),
  pneumoPolysaccharide: cvx('33', 'pneumococcal polysaccharide PPV23'),
  zosterRecombinant: cvx('187', 'zoster recombinant'),
  covidMrna: cvx('208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose'),
} as const satisfies Record<string, Code>;

export type VaccineKey = keyof typeof VACCINES;

export const VACCINE_SITES = {
  leftArm: { system: SYSTEMS.actSite, code: 'LA', display: 'left arm' },
  rightArm: { system: SYSTEMS.actSite, code: 'RA', display: 'right arm' },
  leftThigh: { system: SYSTEMS.actSite, code: 'LT', display: 'left thigh' },
  rightThigh: { system: SYSTEMS.actSite, code: 'RT', display: 'right thigh' },
} as const satisfies Record<string, Code>;

export const VACCINE_ROUTES = {
  intramuscular: { system: SYSTEMS.routeOfAdministration, code: 'IM', display: 'Injection, intramuscular' },
  subcutaneous: { system: SYSTEMS.routeOfAdministration, code: 'SQ', display: 'Injection, subcutaneous' },
  oral: { system: SYSTEMS.routeOfAdministration, code: 'PO', display: 'Swallow, oral' },
} as const satisfies Record<string, Code>;

export const ADMINISTERING_PROVIDER = { system: SYSTEMS.performerFunction, code: 'AP', display: 'Administering Provider' } as const;
