// The settings of the profile and of SMART Backend Services.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('PROFILE and SMART settings', () => {
  it('default to the verto profile, no registered client and 300 s SMART tokens', () => {
    expect(loadConfig({})).toMatchObject({ profile: 'verto', smart: { clientsFile: undefined, tokenTtlSeconds: 300 } });
  });

  it('are read by their names', () => {
    expect(loadConfig({ PROFILE: 'standard', SMART_CLIENTS: './clients.json', SMART_TOKEN_TTL_SECONDS: '120' })).toMatchObject({
      profile: 'standard',
      smart: { clientsFile: './clients.json', tokenTtlSeconds: 120 },
    });
  });

  it.each([
    ['PROFILE', 'smart'],
    ['SMART_TOKEN_TTL_SECONDS', '0'],
    ['SMART_TOKEN_TTL_SECONDS', '5m'],
  ])('refuse %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}="${value}"`);
  });
});
