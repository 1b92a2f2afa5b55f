/**
 * The pipeline's throttling strategy waits for whatever Retry-After says, without a ceiling. This
 * policy runs inside the retry loop and strips a Retry-After above the ceiling, so such a 429 fails
 * at once as throttled (and a 503 falls back to the bounded exponential backoff) instead of
 * blocking a chat command for minutes.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const RETRY_AFTER_CAP_POLICY = 'mlopsRetryAfterCap';
export const CAPPED_HEADER = 'x-mlops-retry-after-capped';

const RETRY_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'];

function retryAfterMs(name: string, value: string): number {
  const n = Number(value);
  if (Number.isFinite(n)) return name === 'retry-after' ? n * 1000 : n;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - Date.now() : 0;
}

export function retryAfterCapPolicy(maxRetryAfterMs: number): PipelinePolicy {
  return {
    name: RETRY_AFTER_CAP_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      for (const name of RETRY_HEADERS) {
        const value = response.headers.get(name);
        if (value !== undefined && retryAfterMs(name, value) > maxRetryAfterMs) {
          for (const h of RETRY_HEADERS) response.headers.delete(h);
          response.headers.set(CAPPED_HEADER, value);
          break;
        }
      }
      return response;
    },
  };
}
