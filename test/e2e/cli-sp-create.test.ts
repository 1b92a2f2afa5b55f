import { cliSandbox } from '../support/cli-sandbox';
/**
 * `sp create` as an admin runs it from the CLI on the local emulator (real Graph, ARM and Azure
 * DevOps clients): two projects in one environment, a bad role found before anything exists, and
 * a plan that says what is already there.
 */

jest.setTimeout(120_000);

const box = cliSandbox('mlops-cli-sp-');
const cli = (text: string) => box.cli('cli:admin', text, { stderr: true, wait: 5 });

test('two projects get their own service principal and connection in prod', async () => {
  const first = await cli('sp create taxi-fare-regression prod --confirm');
  expect(first.out).toContain('Everything is in place.');
  expect(first.code).toBe(0);
  const second = await cli('sp create churn-model prod --confirm');
  expect(second.out).toMatch(/Service connection Azure-ARM-Prod-churn-model \(mlops-v2\)\s+created/);
  expect(second.out).toContain('Everything is in place.');
  expect(second.code).toBe(0);
  const again = await cli('sp create churn-model prod');
  expect(again.out).toMatch(/Entra application Azure-ARM-Prod-churn-model\s+already exists/);
  expect(again.out).not.toContain('will create');
});

test('a bad role is refused by the plan and by --confirm, and nothing is left behind', async () => {
  const confirmed = await cli('sp create x1 dev --role Bogus --confirm');
  expect(confirmed.code).toBe(2);
  expect(confirmed.out).toContain("No role 'Bogus' exists at /subscriptions/");
  const plan = await cli('sp create x1 dev');
  expect(plan.code).toBe(0);
  expect(plan.out).toMatch(/Entra application Azure-ARM-Dev-x1\s+will create/);
  expect(plan.out).toMatch(/Service connection Azure-ARM-Dev-x1 \(mlops-v2\)\s+will create/);
});
