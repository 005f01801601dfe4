import { describe, expect, it } from 'vitest';
import { curlCommand, shellQuote, tokenAssignment } from '../../web/src/curl.js';

describe('curl commands', () => {
  it('single-quotes values, escaping quotes inside', () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });

  it('writes a kick-off with headers, the token from $TOKEN and the $ of $export kept literal', () => {
    expect(
      curlCommand({
        url: 'http://127.0.0.1:3000/api/v1/connect/fhir/$export?_type=Patient,Condition',
        showHeaders: true,
        bearer: true,
        headers: [['X-Mock-Scenario', 'slow-job']],
      }),
    ).toBe(
      [
        `curl -s -i 'http://127.0.0.1:3000/api/v1/connect/fhir/$export?_type=Patient,Condition' \\`,
        `  -H "Authorization: Bearer $TOKEN" \\`,
        `  -H 'X-Mock-Scenario: slow-job'`,
      ].join('\n'),
    );
  });

  it('lets -d imply POST, names other methods, and appends a pipeline', () => {
    expect(curlCommand({ method: 'POST', url: 'http://h/oauth/token', body: '{"a":"b\'c"}' })).toBe(
      `curl -s 'http://h/oauth/token' \\\n  -d '{"a":"b'\\''c"}'`,
    );
    expect(curlCommand({ method: 'DELETE', url: 'http://h/x' })).toBe(`curl -s -X DELETE 'http://h/x'`);
    expect(curlCommand({ url: 'http://h/f', compressed: true, pipe: 'head -n 3' })).toBe(
      `curl -s --compressed 'http://h/f' \\\n  | head -n 3`,
    );
  });

  it('keeps a token in a shell variable', () => {
    expect(tokenAssignment('abc')).toBe(`TOKEN='abc'`);
  });
});
