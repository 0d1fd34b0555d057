import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n').filter((l) => l.includes('HIVE_PUBLIC_URL') || l.includes('HIVE_LINK_TTL_DAYS'));
    throw e;
  }
};

describe('HIVE_PUBLIC_URL and HIVE_LINK_TTL_DAYS', () => {
  it('GIVEN an https origin, or http on this machine THEN accepted as the origin; unset THEN pages off and links last 7 days', () => {
    expect(loadConfig({ HIVE_PUBLIC_URL: 'https://hive.example.com/' }).publicUrl).toBe('https://hive.example.com');
    expect(loadConfig({ HIVE_PUBLIC_URL: 'https://hive.example.com:8443' }).publicUrl).toBe('https://hive.example.com:8443');
    expect(loadConfig({ HIVE_PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ HIVE_PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({})).toMatchObject({ publicUrl: undefined, linkTtlDays: 7 });
    expect(loadConfig({ HIVE_LINK_TTL_DAYS: '2' }).linkTtlDays).toBe(2);
  });

  it.each([
    'http://hive.example.com',
    'https://hive.example.com/hive',
    'https://hive.example.com/./',
    'https://hive.example.com/?x=1',
    'https://hive.example.com/#top',
    'https://user:pw@hive.example.com',
    'https://hive.example.com\\evil',
    'javascript:alert(1)',
    'hive.example.com',
  ])('GIVEN %s THEN refused, naming the variable', (value) => {
    expect(problems({ HIVE_PUBLIC_URL: value })).toEqual([expect.stringMatching(/^\s*- HIVE_PUBLIC_URL: must be https:\/\//)]);
  });

  it('GIVEN a link lifetime out of range THEN refused', () => {
    expect(problems({ HIVE_LINK_TTL_DAYS: '0' })).toHaveLength(1);
  });
});
