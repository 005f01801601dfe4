import type { OperationOutcome } from './r4.js';

/** Codes from the FHIR IssueType value set (http://hl7.org/fhir/R4/valueset-issue-type.html) used here. */
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'not-supported'
  | 'not-found'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'throttled'
  | 'transient'
  | 'timeout'
  | 'too-costly'
  | 'exception'
  | 'processing'
  | 'informational'
  | 'expired'
  | 'deleted'
  | 'incomplete';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export function operationOutcome(
  severity: IssueSeverity,
  code: IssueCode,
  diagnostics: string,
  expression?: string,
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
}
