/** Shared by the audit tests: settings whose environments have distinct and shared audit channels. */
import type { BotSettings } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';

/** prod audits to C0AUDIT and a shared Teams channel, dev to its own and the shared one, preprod to none. */
export function auditSettings(): BotSettings {
  const s = testSettings();
  s.environments = s.environments.map((e) => {
    const audit = e.name === 'prod' ? ['slack:C0AUDIT', 'teams:19:audit'] : e.name === 'dev' ? ['slack:C0DEVAUDIT', 'teams:19:audit'] : [];
    return { ...e, channels: { ...e.channels, audit } };
  });
  return s;
}
