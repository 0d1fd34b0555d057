import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { DEFAULT_FILE_LIMITS } from '../../src/files/prepared-file.ts';
import { ConfigError } from '../../src/shared/errors.ts';

const MB = 1024 * 1024;

/** The problems a config reports, every one at once. */
function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return '';
}

describe('the file limits a job reads under', () => {
  it('GIVEN nothing set THEN 20 MB a file, 50 MB a job and 10 files', () => {
    expect(loadConfig({}).fileLimits).toEqual(DEFAULT_FILE_LIMITS);
    expect(DEFAULT_FILE_LIMITS).toEqual({ maxFileBytes: 20 * MB, maxJobBytes: 50 * MB, maxFiles: 10 });
  });

  it('GIVEN the variables THEN they are the limits, in bytes', () => {
    expect(loadConfig({ HIVE_FILE_MAX_MB: '5', HIVE_JOB_FILES_MAX_MB: '12', HIVE_JOB_FILES_MAX: '3' }).fileLimits).toEqual({
      maxFileBytes: 5 * MB,
      maxJobBytes: 12 * MB,
      maxFiles: 3,
    });
  });

  it('GIVEN values out of range or a file limit above the job limit THEN start-up names each variable', () => {
    const said = problems({ HIVE_FILE_MAX_MB: 'big', HIVE_JOB_FILES_MAX: '0' });
    expect(said).toMatch(/HIVE_FILE_MAX_MB: must be a whole number/);
    expect(said).toMatch(/HIVE_JOB_FILES_MAX:/);
    expect(problems({ HIVE_FILE_MAX_MB: '60', HIVE_JOB_FILES_MAX_MB: '50' })).toMatch(/HIVE_FILE_MAX_MB: 60 is above HIVE_JOB_FILES_MAX_MB \(50\)/);
  });
});
