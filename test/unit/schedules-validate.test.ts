import { BotError } from '../../src/core/errors';
import { buildScheduleSpec, checkEndpoint, type ScheduleRequest } from '../../src/core/schedules/validate';

const NOW = new Date('2026-11-02T09:00:00Z');
const base: ScheduleRequest = { name: 'nightly', endpoint: 'taxi-batch' };

function failure(req: Partial<ScheduleRequest>): BotError {
  try {
    buildScheduleSpec({ ...base, ...req }, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(BotError);
    return e as BotError;
  }
  throw new Error('expected a validation error');
}

describe('buildScheduleSpec', () => {
  it('builds a weekly recurrence with days and a local time', () => {
    const spec = buildScheduleSpec({ ...base, every: 'week', interval: '2', at: '06:05', on: 'mon,thursday,MON', tz: 'europe/amsterdam', input: 'azureml://datastores/blob/paths/taxi/' }, NOW);
    expect(spec).toEqual({
      name: 'nightly', enabled: true, timeZone: 'Europe/Amsterdam',
      trigger: { type: 'recurrence', frequency: 'week', interval: 2, hours: [6], minutes: [5], weekDays: ['Monday', 'Thursday'] },
      action: { type: 'invoke_batch_endpoint', endpoint: 'taxi-batch', input: 'azureml://datastores/blob/paths/taxi/' },
    });
  });

  it('builds a cron schedule for a pipeline job in UTC by default', () => {
    const spec = buildScheduleSpec({ name: 'retrain', pipeline: 'train-taxi', cron: ' 0  6 * * 1 ' }, NOW);
    expect(spec.trigger).toEqual({ type: 'cron', expression: '0 6 * * 1' });
    expect(spec.action).toEqual({ type: 'create_pipeline_job', job: 'train-taxi' });
    expect(spec.timeZone).toBe('UTC');
  });

  it.each<[string, Partial<ScheduleRequest>, RegExp]>([
    ['bad cron, naming the field', { cron: '0 25 * * *' }, /Cron hour field '25' is invalid/],
    ['cron that never fires', { cron: '0 0 30 feb *' }, /never fires/],
    ['interval below 1', { every: 'day', interval: '0' }, /--interval must be a whole number of at least 1 \(got '0'\)/],
    ['interval not a number', { every: 'day', interval: 'two' }, /--interval must be a whole number/],
    ['interval absurdly large', { every: 'day', interval: '5000' }, /too large/],
    ['unknown time zone', { every: 'day', tz: 'Europe/Atlantis' }, /Unknown time zone 'Europe\/Atlantis'/],
    ['bad --at', { every: 'day', at: '25:00' }, /--at takes a time of day as HH:MM \(got '25:00'\)/],
    ['--at with an hourly schedule', { every: 'hour', at: '02:00' }, /--at needs --every day, week or month/],
    ['--on without week', { every: 'day', on: 'mon' }, /--on works only with --every week/],
    ['--on with a non-day', { every: 'week', on: 'mon,funday' }, /'funday' in --on is not a day of the week/],
    ['both --every and --cron', { every: 'day', cron: '0 0 * * *' }, /either --every or --cron, not both/],
    ['neither --every nor --cron', {}, /--every <unit> or --cron/],
    ['--interval with --cron', { cron: '0 0 * * *', interval: '2' }, /--interval goes with --every, not with --cron/],
    ['unknown unit', { every: 'fortnight' }, /'fortnight' is not a unit for --every/],
    ['both --endpoint and --pipeline', { every: 'day', pipeline: 'p' }, /either --endpoint or --pipeline/],
    ['no action', { endpoint: undefined, every: 'day' }, /--endpoint <batch-endpoint> or --pipeline <job>/],
    ['--input on a pipeline', { endpoint: undefined, pipeline: 'p', every: 'day', input: 'https://x/y' }, /--input goes with --endpoint/],
    ['--input not a URI', { every: 'day', input: 'C:\\data' }, /--input must be an https:\/\/ or azureml:\/\/ URI/],
    ['--input with a SAS token', { every: 'day', input: 'https://acct.blob.core.windows.net/c/x.csv?sv=2024-01-01&sig=abc%3D' }, /SAS token/],
    ['bad name', { name: '9lives', every: 'day' }, /'9lives' is not a valid schedule name/],
  ])('rejects %s', (_what, req, message) => {
    const e = failure(req);
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(message);
    expect(e.remedy).toBeTruthy();
  });
});

describe('checkEndpoint', () => {
  it('accepts a known endpoint', () => {
    expect(() => checkEndpoint('taxi-batch', ['taxi-batch', 'churn-batch'], 'prod')).not.toThrow();
  });

  it('lists the valid endpoints and suggests the nearest', () => {
    try {
      checkEndpoint('taxi-bach', ['taxi-batch', 'churn-batch'], 'prod');
      throw new Error('accepted');
    } catch (e) {
      const err = e as BotError;
      expect(err.code).toBe('usage');
      expect(err.message).toBe("No batch endpoint 'taxi-bach' in prod. Batch endpoints: taxi-batch, churn-batch.");
      expect(err.remedy).toBe('Did you mean `taxi-batch`?');
    }
  });

  it('says when the workspace has none', () => {
    expect(() => checkEndpoint('x', [], 'dev')).toThrow('No batch endpoint \'x\' in dev. It has no batch endpoints.');
  });
});
