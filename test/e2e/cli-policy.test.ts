import { cliSandbox } from '../support/cli-sandbox';
/**
 * Rules per model and freezes on the embedded default: the classifier is guarded on auc and reaches
 * prod through the YAML pipeline of the local Azure DevOps; a freeze stops a promotion and lifts.
 */

jest.setTimeout(180_000);

const box = cliSandbox('mlops-cli-policy-');
const cli = (as: string, text: string) => box.cli(as, text);

describe('model rules and freezes on the local emulator', () => {
  it('promotes the classifier on auc to prod through the pipeline; a freeze refuses, unfreeze reopens', async () => {
    const preprod = await cli('cli:carol', 'promote taxi-fare-classifier preprod');
    expect(preprod.code).toBe(0);
    expect(preprod.out).toContain('Model rule  models[0] "taxi-fare-classifier"');
    expect(preprod.out).toMatch(/auc \(maximize, tolerance 1%\)/);
    expect(preprod.out).toMatch(/PR-[A-Z0-9]{5}: succeeded/);

    const frozen = await cli('cli:admin', 'freeze prod --for 2h --reason "incident 4711"');
    expect(frozen.code).toBe(0);
    expect(frozen.out).toContain('posted to cli:audit');
    const refused = await cli('cli:carol', 'promote taxi-fare-classifier prod');
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/Promotions to prod are frozen until .+ UTC: incident 4711/);
    expect((await cli('cli:carol', 'freezes')).out).toMatch(/prod\s+now → .+ UTC\s+incident 4711/);
    expect((await cli('cli:admin', 'unfreeze prod')).code).toBe(0);

    const prod = await cli('cli:carol', 'promote taxi-fare-classifier prod');
    expect(prod.code).toBe(0);
    const id = /PR-[A-Z0-9]{5}/.exec(prod.out)![0];
    const approved = await cli('cli:alice', `approve ${id} "auc up"`);
    expect(approved.code).toBe(0);
    // A YAML pipeline run, not a classic release: the rule's release for prod.
    expect(approved.out).toMatch(/taxi-fare-classifier v\d+ now runs in prod \(run \d+ succeeded\)/);
  });
});
