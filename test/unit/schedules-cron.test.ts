import { BotError } from '../../src/core/errors';
import { parseCron } from '../../src/core/schedules/cron';

function errorOf(expr: string): BotError {
  try {
    parseCron(expr);
  } catch (e) {
    return e as BotError;
  }
  throw new Error(`'${expr}' parsed`);
}

describe('parseCron', () => {
  it('expands stars, lists, ranges and steps', () => {
    const c = parseCron('*/15 9-17 1,15 * 1-5');
    expect(c.minutes.values).toEqual([0, 15, 30, 45]);
    expect(c.hours.values).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(c.daysOfMonth.values).toEqual([1, 15]);
    expect(c.months.values).toHaveLength(12);
    expect(c.months.any).toBe(true);
    expect(c.daysOfWeek.values).toEqual([1, 2, 3, 4, 5]);
    expect(c.daysOfWeek.any).toBe(false);
  });

  it('takes ranges with steps and a start with a step', () => {
    expect(parseCron('0-30/10 * * * *').minutes.values).toEqual([0, 10, 20, 30]);
    expect(parseCron('5/20 * * * *').minutes.values).toEqual([5, 25, 45]);
    expect(parseCron('0 0 */10 * *').daysOfMonth.values).toEqual([1, 11, 21, 31]);
  });

  it('takes month and day names in any case, and 7 as Sunday', () => {
    const c = parseCron('0 6 * JAN,mar-May sat-7');
    expect(c.months.values).toEqual([1, 3, 4, 5]);
    expect(c.daysOfWeek.values).toEqual([0, 6]);
    expect(parseCron('0 6 * * Mon,WED').daysOfWeek.values).toEqual([1, 3]);
  });

  it('normalises spacing', () => {
    expect(parseCron('  0   2 * *   * ').text).toBe('0 2 * * *');
  });

  it.each([
    ['60 * * * *', 'minute', "'60'", '60 is out of range'],
    ['* 24 * * *', 'hour', "'24'", '24 is out of range'],
    ['* * 0 * *', 'day of month', "'0'", '0 is out of range'],
    ['* * * 13 *', 'month', "'13'", '13 is out of range'],
    ['* * * * 8', 'day of week', "'8'", '8 is out of range'],
    ['* * * foo *', 'month', "'foo'", "'foo' is not a number"],
    ['* * * * mon-sun-tue', 'day of week', "'mon-sun-tue'", 'is not a range'],
    ['10-5 * * * *', 'minute', "'10-5'", 'runs backwards'],
    ['*/0 * * * *', 'minute', "'*/0'", 'step'],
    ['1,,2 * * * *', 'minute', "'1,,2'", 'malformed'],
    ['* 1/2/3 * * *', 'hour', "'1/2/3'", 'malformed'],
  ])('names the wrong field in %s', (expr, field, value, why) => {
    const e = errorOf(expr);
    expect(e.code).toBe('usage');
    expect(e.message).toContain(`Cron ${field} field ${value}`);
    expect(e.message).toContain(why);
    expect(e.details).toMatchObject({ field });
    expect(e.remedy).toMatch(/five fields/);
  });

  it.each(['', '* * * *', '0 0 * * * *'])('rejects %j for its number of fields', (expr) => {
    const e = errorOf(expr);
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/has 5 fields; .* has \d/);
  });
});
