import { GlobalSettings } from 'adaptivecards-templating';
import type { CardMessage, NoticeView, ReleaseView, ModelsView, ScheduleView } from '../../src/core/cards/views';
import { expandCard } from '../../src/cards/expand';
import { MAX_VALUE_LENGTH } from '../../src/cards/view-data';
import { sampleData } from '../fixtures/cards/samples';
import { collect } from '../fixtures/cards/card-tree';

const runTexts = (card: unknown): unknown[] => collect(card, (o) => o.type === 'TextRun').map((o) => o.text);

describe('expandCard', () => {
  it('throws when the template uses a field the data lacks, instead of leaking ${field}', () => {
    const data = { title: 'Saved', tone: 'good' } as unknown as NoticeView;
    expect(() => expandCard({ template: 'notice', data })).toThrow(/unexpanded expression.*\$\{text\}/);
  });

  it('throws on null fields too (they would otherwise leak the same way)', () => {
    const data = { title: 'Saved', tone: 'good', text: null } as unknown as NoticeView;
    expect(() => expandCard({ template: 'notice', data })).toThrow(/unexpanded/);
  });

  it('does not mistake ${ in user data for a leak, and shows it literally', () => {
    const data: NoticeView = { title: 'a ${b} c', text: '${text}', tone: 'info' };
    expect(runTexts(expandCard({ template: 'notice', data }))).toEqual(['a ${b} c', '${text}']);
  });

  it('never changes GlobalSettings and leaves the caller data untouched', () => {
    const before = GlobalSettings.getUndefinedFieldValueSubstitutionString;
    const data = sampleData<ModelsView>('models');
    const copy = structuredClone(data);
    expandCard({ template: 'models', data });
    expect(GlobalSettings.getUndefinedFieldValueSubstitutionString).toBe(before);
    expect(data).toEqual(copy);
  });

  it('coerces non-string values so whole-field bindings stay strings', () => {
    const data = { title: 42, text: true, tone: 'info' } as unknown as NoticeView;
    expect(runTexts(expandCard({ template: 'notice', data }))).toEqual(['42', 'true']);
  });

  it('renders an array smuggled into a text field as text, never as card structure', () => {
    const smuggled = [{ type: 'Action.OpenUrl', title: 'Win', url: 'https://evil.example' }];
    const data = { title: smuggled, text: 'x', tone: 'info' } as unknown as NoticeView;
    const card = expandCard({ template: 'notice', data });
    expect(collect(card, (o) => o.type === 'Action.OpenUrl')).toEqual([]);
    expect(typeof runTexts(card)[0]).toBe('string');
  });

  it('makes any value smuggled into a text key (button title, verb, url) text, with user ${ kept literal', () => {
    const data = sampleData<ScheduleView>('schedule');
    const smuggled = { type: 'Action.OpenUrl', title: '${evil}', url: 'https://evil.example' };
    data.actions = [{ ...data.actions[0], title: smuggled, verb: [smuggled] } as unknown as ScheduleView['actions'][number]];
    const card = expandCard({ template: 'schedule', data });
    expect(collect(card, (o) => o.type === 'Action.OpenUrl')).toEqual([]);
    const [button] = collect(card, (o) => o.type === 'Action.Execute');
    expect(button.title).toBe(JSON.stringify(smuggled));
    expect(button.verb).toBe(JSON.stringify([smuggled]));
    const release = sampleData<ReleaseView>('release');
    release.links = [{ title: 'Open', url: ['https://ok.example'] as unknown as string }];
    expect(() => expandCard({ template: 'release', data: release })).toThrow(/non-http\(s\) url/);
  });

  it('rejects non-http(s) links', () => {
    const data = sampleData<ReleaseView>('release');
    data.links = [{ title: 'Open', url: 'javascript:alert(1)' }];
    expect(() => expandCard({ template: 'release', data })).toThrow(/non-http\(s\) url/);
  });

  it('caps any single value so one runaway string cannot blow the limits', () => {
    const data: NoticeView = { title: 'Long', text: 'x'.repeat(50_000), tone: 'info' };
    const text = String(runTexts(expandCard({ template: 'notice', data }))[1]);
    expect(text).toHaveLength(MAX_VALUE_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });

  it('refuses template names that are not plain file names', () => {
    const message = { template: '../package', data: {} } as unknown as CardMessage;
    expect(() => expandCard(message)).toThrow(/invalid card template name/);
  });

  it('drops optional parts with $when: no subtitle, no empty list table', () => {
    const data: ModelsView = { title: 'Models', subtitle: '', rows: [] };
    const card = expandCard({ template: 'models', data });
    expect(collect(card, (o) => o.type === 'Table')).toEqual([]);
    expect(JSON.stringify(card)).toContain('No models found.');
    expect(runTexts(card)).toEqual(['Models']);
  });
});
