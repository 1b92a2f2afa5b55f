/**
 * Unwraps an Event Grid delivery body in either schema into neutral raw events. Event Grid schema:
 * always an array of `{id, topic, subject, eventType, eventTime, data}`. CloudEvents 1.0: one object
 * (`application/cloudevents+json`) or an array (`cloudevents-batch+json`) of
 * `{id, source, subject, type, time, data, specversion}` (one spec sample spells it `specVersion`).
 */
import { lower, obj, str } from './event';

export interface RawEvent {
  id: string;
  type: string;
  /** CloudEvents `source`. */
  source?: string;
  /** Event Grid `topic`. */
  topic?: string;
  subject?: string;
  time?: string;
  data: unknown;
  schema: 'eventgrid' | 'cloudevents';
}

export type EnvelopeResult =
  | { kind: 'validation'; code: string }
  | { kind: 'events'; events: RawEvent[]; malformed: number };

const VALIDATION_TYPE = 'microsoft.eventgrid.subscriptionvalidationevent';

export function parseEnvelopes(body: unknown): EnvelopeResult {
  const items = Array.isArray(body) ? body : [body];
  const events: RawEvent[] = [];
  let malformed = 0;
  for (const item of items) {
    const raw = toRaw(obj(item));
    if (!raw) { malformed++; continue; }
    if (lower(raw.type) === VALIDATION_TYPE) {
      const code = str(obj(raw.data).validationCode);
      if (code) return { kind: 'validation', code };
      malformed++;
      continue;
    }
    events.push(raw);
  }
  return { kind: 'events', events, malformed };
}

function toRaw(o: Record<string, unknown>): RawEvent | null {
  const id = str(o.id);
  const cloud = o.specversion !== undefined || o.specVersion !== undefined;
  const type = str(cloud ? o.type : o.eventType) ?? str(o.type) ?? str(o.eventType);
  if (!id || !type) return null;
  return {
    id,
    type,
    source: str(o.source),
    topic: str(o.topic),
    subject: str(o.subject),
    time: str(cloud ? o.time : o.eventTime) ?? str(o.time) ?? str(o.eventTime),
    data: o.data,
    schema: cloud ? 'cloudevents' : 'eventgrid',
  };
}
