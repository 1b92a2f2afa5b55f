/**
 * The bot against the official descriptions of the services it calls (specs/, trimmed from the
 * upstream repositories at a noted commit): the spec table is consistent; a classic release and a
 * YAML pipeline promotion driven through the real DevOpsReleases adapter against the emulator send
 * only requests the specs describe and get only answers the specs describe; a changed api-version,
 * path or field name is caught; the Slack app manifest passes the Slack manifest schema; every card
 * the bot renders passes the Adaptive Card 1.5 schema. The integration suites that run adapters on
 * the emulator record and check their traffic the same way (test/support/conformance-recorder.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { parse as parseYaml } from 'yaml';
import { DevOpsReleases } from '../../src/adapters/azure-devops';
import { renderForTeams } from '../../src/cards/render';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { EmulatorExchange } from '../../src/emulator/exchange';
import { STAGE_MS } from '../../src/emulator/pipeline-sim';
import { sample, sampleNames } from '../fixtures/cards/samples';
import { CapturingLogger } from '../fakes/logger';
import { testSettings } from '../fakes/settings';
import { conformanceRecorder } from '../support/conformance-recorder';
import { loadSpec, SpecChecker } from './openapi-check';
import { CHECKED, UNCHECKED } from './spec-table';

const REPO = join(__dirname, '../..');
const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };

describe('the spec table', () => {
  test('every checked operation is in its trimmed spec, and every spec names where it was cut from', () => {
    for (const { spec, operationId } of CHECKED) {
      const doc = loadSpec(spec);
      expect(doc['x-trimmed-from']).toMatchObject({ repository: expect.stringMatching(/^https:\/\/github\.com\//), path: expect.any(String), commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
      const ids = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) => Object.values(item).map((op) => op.operationId));
      expect({ spec, operationId, present: ids.includes(operationId) }).toEqual({ spec, operationId, present: true });
    }
    expect(UNCHECKED.every((u) => u.reason.length > 0)).toBe(true);
  });
});

describe('Azure DevOps traffic of the adapter and the emulator', () => {
  let now = Date.parse('2026-11-02T09:00:00Z');
  let dir: string;
  let emu: RunningEmulator;
  const recorder = conformanceRecorder();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-conformance-'));
    emu = await startEmulator({ dataDir: dir, log: new CapturingLogger(), autoTick: false, jobEveryMs: 0, clock: { now: () => new Date(now) }, onExchange: recorder.onExchange });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = () => testSettings().environments.find((e) => e.name === 'prod')!;
  const adapter = (env: EnvironmentSettings) => new DevOpsReleases({ orgUrl: emu.devopsUrl, project: emu.project, auth: { pat: 'emulator-pat' }, environments: [env], log: new CapturingLogger() });

  // A classic release and a YAML pipeline promotion, both approved, through the real adapter.
  beforeAll(async () => {
    const classic = adapter({ ...base(), release: { kind: 'classic', definition: 'taxi-model-deploy', stage: 'prod', variables } });
    const ref = await classic.start({ env: 'prod', model: 'taxi-model', version: '5', requestId: 'PR-CONF1', description: 'request PR-CONF1' });
    let status = await classic.status('prod', ref);
    for (let i = 0; i < 40 && status.state !== 'awaiting_approval'; i += 1) {
      now += 5 * 60_000;
      emu.tick();
      status = await classic.status('prod', ref);
    }
    await classic.list({ env: 'prod', model: 'taxi-model' });
    await classic.decide('prod', ref, status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by @a (request PR-CONF1)');

    const yaml = adapter({ ...base(), release: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', variables } });
    const run = await yaml.start({ env: 'prod', model: 'taxi-model', version: '6', requestId: 'PR-CONF2', description: 'request PR-CONF2' });
    let runStatus = await yaml.status('prod', run);
    for (let i = 0; i < 10 && runStatus.state !== 'awaiting_approval'; i += 1) {
      now += STAGE_MS;
      emu.tick();
      runStatus = await yaml.status('prod', run);
    }
    await yaml.decide('prod', run, runStatus.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by @a (request PR-CONF2)');
  });

  test('a classic release and a YAML pipeline promotion, approved: every request and answer as the specs say', () => {
    expect(recorder.violations()).toEqual([]);
    expect(recorder.covered().sort()).toEqual(expect.arrayContaining([
      'Approvals_List', 'Approvals_Update', 'Definitions_List', 'Releases_Create', 'Releases_Get Release', 'Releases_List',
      'Pipelines_List', 'Runs_Run Pipeline', 'Timeline_Get', 'Approvals_Query',
    ].sort()));
  });

  describe('a change the spec does not have is caught', () => {
    const checker = new SpecChecker();
    const find = (operation: RegExp, answered: (body: any) => boolean = () => true) => {
      const ex = recorder.exchanges.find((e) => e.status < 300 && new RegExp(operation.source, 'i').test(`${e.method} ${e.path}`) && answered(e.responseBody));
      if (!ex) throw new Error(`no recorded exchange for ${operation}`);
      return JSON.parse(JSON.stringify(ex)) as EmulatorExchange;
    };
    const problems = (ex: EmulatorExchange) => checker.check(ex).map((v) => v.problem);

    test('the recorded exchanges used below pass as recorded', () => {
      expect(problems(find(/^POST .*\/_apis\/release\/releases$/))).toEqual([]);
      expect(problems(find(/^GET .*\/_apis\/release\/approvals$/))).toEqual([]);
    });

    test('an api-version the spec does not have', () => {
      const ex = find(/^GET .*\/_apis\/release\/approvals$/);
      ex.headers.accept = 'application/json;api-version=5.0-preview.3';
      expect(problems(ex)).toEqual(['api-version 5.0-preview.3 is not 7.1 of the spec']);
    });

    test('a path the spec does not have', () => {
      const ex = find(/^GET .*\/_apis\/release\/approvals$/);
      ex.path = ex.path.replace(/approvals$/, 'approval');
      expect(problems(ex)).toEqual([expect.stringMatching(/no operation of ado-release-7.1.json has this path/)]);
    });

    test('a query parameter the operation does not declare', () => {
      const ex = find(/^GET .*\/_apis\/release\/approvals$/);
      ex.query = { ...ex.query, statuses: 'pending' };
      expect(problems(ex)).toEqual([expect.stringMatching(/^query parameter statuses is not declared/)]);
    });

    test('a renamed field in what the adapter sends', () => {
      const ex = find(/^POST .*\/_apis\/release\/releases$/);
      const body = ex.requestBody as Record<string, unknown>;
      body.definitionID = body.definitionId;
      delete body.definitionId;
      expect(problems(ex)).toEqual(['body field /definitionID is not in the spec']);
    });

    const pending = (body: any) => body?.value?.length > 0;

    test('a renamed field in what the emulator answers', () => {
      const ex = find(/^GET .*\/_apis\/release\/approvals$/, pending);
      const first = (ex.responseBody as { value: Record<string, unknown>[] }).value[0];
      first.approvalStatus = first.status;
      delete first.status;
      expect(problems(ex)).toEqual(['body field /0/approvalStatus is not in the spec']);
    });

    test('a value of the wrong type in what the emulator answers', () => {
      const ex = find(/^GET .*\/_apis\/release\/approvals$/, pending);
      (ex.responseBody as { value: Record<string, unknown>[] }).value[0].id = 'one';
      expect(problems(ex)).toEqual([expect.stringMatching(/^body: \/0\/id must be integer/)]);
    });
  });
});

describe('Slack app manifest', () => {
  const schema = loadSpec('slack-manifest.schema.1.0.0.json');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  test('manifest/slack/manifest.yaml passes the Slack manifest schema (v1)', () => {
    const manifest = parseYaml(readFileSync(join(REPO, 'manifest/slack/manifest.yaml'), 'utf8')) as Record<string, unknown>;
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  test('the schema catches a broken manifest (a misspelt field, a too-long name)', () => {
    const manifest = parseYaml(readFileSync(join(REPO, 'manifest/slack/manifest.yaml'), 'utf8')) as Record<string, any>;
    expect(validate({ ...manifest, display_informations: manifest.display_information })).toBe(false);
    expect(validate({ ...manifest, display_information: { ...manifest.display_information, name: 'x'.repeat(40) } })).toBe(false);
  });
});

describe('Adaptive Card 1.5 schema', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft06);
  // The published file names itself with draft-04's `id`; Ajv wants `$id` for draft-06.
  const { id, ...schema } = loadSpec('adaptive-card-1.5.json');
  const validate = ajv.compile({ $id: id, ...schema });

  // `msteams` at the root is Teams' documented host extension (full-width cards), outside the card schema.
  const withoutHostExtension = ({ msteams: _teams, ...card }: Record<string, unknown>) => card;

  test.each(sampleNames())('the %s card as Teams receives it is a valid Adaptive Card 1.5', (name) => {
    const card = withoutHostExtension(renderForTeams(sample(name)).content as Record<string, unknown>);
    expect(validate(card) ? [] : (validate.errors ?? []).slice(0, 5)).toEqual([]);
  });

  test('the schema catches an element type it does not have', () => {
    const card = JSON.parse(JSON.stringify(renderForTeams(sample(sampleNames()[0])).content)) as { body: Record<string, unknown>[] };
    card.body[0].type = 'RichTextBox';
    expect(validate(card)).toBe(false);
  });
});
