/**
 * Approvals recorded as the human (DESIGN 9.6) between the real Azure DevOps adapter and the local
 * emulator: a person signs in on the emulator's Entra page (code + PKCE), the adapter decides the
 * classic release approval and the YAML pipeline check with that person's delegated token, and
 * Azure DevOps records them (`approvedBy`, `actualApprover`). Someone who is not in the approvers'
 * group is refused as Azure DevOps refuses them, and the approval stays pending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { ReleaseRef, ReleaseStatus } from '../../src/core/models';
import type { EnvironmentSettings } from '../../src/core/settings';
import { DEVOPS_RESOURCE, startEmulator, type EmulatorRequestRecord, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { testSettings } from '../fakes/settings';
import { conformanceRecorder } from '../support/conformance-recorder';
import { pkcePair, signInOnEmulator } from '../support/entra-sign-in';
import { call } from './emulator-client';

const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const PAT = { authorization: `Basic ${Buffer.from('PAT:emulator-pat').toString('base64')}` };
const MEGAN = { id: '00000000-0000-4000-8000-000000000021', displayName: 'Megan Bowen', uniqueName: 'meganb@example.com' };
const ADELE = { id: '00000000-0000-4000-8000-000000000022', displayName: 'Adele Vance', uniqueName: 'adelev@example.com' };
const PATTI = '00000000-0000-4000-8000-000000000024';
const REDIRECT = 'http://127.0.0.1:3978/auth/callback';

let now = Date.parse('2026-11-02T09:00:00Z');
let dir: string;
let emu: RunningEmulator;
let classic: DevOpsReleases;
let pipelines: DevOpsReleases;
const base = testSettings().environments.find((e) => e.name === 'prod')!;
const classicProd: EnvironmentSettings = { ...base, release: { kind: 'classic', definition: 'taxi-model-deploy', stage: 'prod', variables } };
const pipelineProd: EnvironmentSettings = { ...base, release: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', variables } };
const conformance = conformanceRecorder();
/** Azure DevOps requests, to count what a decision as the person costs. */
const devops: EmulatorRequestRecord[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-emu-human-'));
  const log = new CapturingLogger();
  emu = await startEmulator({
    dataDir: dir, log, onExchange: conformance.onExchange, autoTick: false, jobEveryMs: 0, clock: { now: () => new Date(now) },
    onRequest: (r) => { if (r.api === 'devops') devops.push(r); },
  });
  const opts = { orgUrl: emu.devopsUrl, project: emu.project, auth: { pat: 'emulator-pat' }, log };
  classic = new DevOpsReleases({ ...opts, environments: [classicProd] });
  pipelines = new DevOpsReleases({ ...opts, environments: [pipelineProd] });
});
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the bot's link flow gets for a person: an Azure DevOps access token from the emulator's Entra. */
async function adoTokenOf(userId: string): Promise<string> {
  const pair = pkcePair();
  const q = new URLSearchParams({
    client_id: emu.signInClientId, response_type: 'code', redirect_uri: REDIRECT, scope: `${DEVOPS_RESOURCE}/.default offline_access`,
    state: 's-1', nonce: 'n-1', code_challenge: pair.challenge, code_challenge_method: 'S256',
  });
  const { location } = await signInOnEmulator(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize?${q}`, userId);
  const code = new URL(location).searchParams.get('code') ?? '';
  const res = await fetch(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: emu.signInClientId, grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pair.verifier }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function atGate(releases: DevOpsReleases, requestId: string): Promise<{ ref: ReleaseRef; status: ReleaseStatus }> {
  const ref = await releases.start({ env: 'prod', model: 'taxi-model', version: '5', requestId, description: `request ${requestId}` });
  let status = await releases.status('prod', ref);
  for (let i = 0; i < 40 && status.state !== 'awaiting_approval'; i += 1) {
    now += 5 * 60_000;
    emu.tick();
    status = await releases.status('prod', ref);
  }
  expect(status.pendingApprovalId).toBeDefined();
  return { ref, status };
}

const releaseApproval = async (ref: ReleaseRef, id: string) => {
  const all = (await call(`${emu.devopsUrl}/${emu.project}/_apis/Release/approvals?releaseIdsFilter=${ref.id}&statusFilter=undefined&api-version=7.1`, { headers: PAT })).body;
  return all.value.find((a: { id: number }) => String(a.id) === id);
};
const checkApproval = async (id: string) => (await call(`${emu.devopsUrl}/${emu.project}/_apis/pipelines/approvals/${id}?$expand=steps&api-version=7.2-preview.2`, { headers: PAT })).body;

describe('classic release approvals decided as the person', () => {
  it('records the linked approver as approvedBy, and the release goes on', async () => {
    const { ref, status } = await atGate(classic, 'human-classic-1');
    const token = await adoTokenOf(MEGAN.id);
    devops.length = 0;
    const out = await classic.decideAs({ token }, 'prod', ref, status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by Megan Bowen (request human-classic-1)');
    expect(out).toEqual({ ok: true });
    // Two round trips: the approval read as the bot, the PATCH as Megan; no discovery for her client.
    expect(devops.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 200']);
    const approval = await releaseApproval(ref, status.pendingApprovalId!);
    expect(approval).toMatchObject({ status: 'approved', approvedBy: MEGAN, approver: { displayName: '[mlops-v2]\\Release Approvers', isContainer: true } });
    expect(approval.comments).toBe('Approved via MLOps Bot by Megan Bowen (request human-classic-1)');
    now += 5 * 60_000;
    emu.tick();
    expect(await classic.status('prod', ref)).toMatchObject({ decidedBy: 'Megan Bowen' });
  });

  it('someone outside the approvers group is refused as Azure DevOps refuses them; nothing changes, the bot can still approve', async () => {
    const { ref, status } = await atGate(classic, 'human-classic-2');
    const out = await classic.decideAs({ token: await adoTokenOf(PATTI) }, 'prod', ref, status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by Patti (request human-classic-2)');
    expect(out).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(!out.ok && out.detail).toContain('VS402904');
    expect(await releaseApproval(ref, status.pendingApprovalId!)).toMatchObject({ status: 'pending' });
    await classic.decide('prod', ref, status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by Patti (request human-classic-2)');
    expect(await releaseApproval(ref, status.pendingApprovalId!)).toMatchObject({ status: 'approved', approvedBy: { displayName: 'MLOps Bot' } });
  });

  it('a token the emulator did not issue is refused as a sign-in problem', async () => {
    const { ref, status } = await atGate(classic, 'human-classic-3');
    const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"oid":"${MEGAN.id}"}`).toString('base64url')}.x`;
    const out = await classic.decideAs({ token: forged }, 'prod', ref, status.pendingApprovalId!, 'approved', 'c');
    expect(out).toMatchObject({ ok: false, reason: 'token_refused' });
    expect(await releaseApproval(ref, status.pendingApprovalId!)).toMatchObject({ status: 'pending' });
  });
});

describe('YAML pipeline checks decided as the person', () => {
  it('records the linked approver as the step\'s actualApprover; a non-member is refused', async () => {
    const refused = await atGate(pipelines, 'human-run-1');
    const no = await pipelines.decideAs({ token: await adoTokenOf(PATTI) }, 'prod', refused.ref, refused.status.pendingApprovalId!, 'approved', 'c');
    expect(no).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(await checkApproval(refused.status.pendingApprovalId!)).toMatchObject({ status: 'pending' });

    const out = await pipelines.decideAs({ token: await adoTokenOf(ADELE.id) }, 'prod', refused.ref, refused.status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by Adele Vance (request human-run-1)');
    expect(out).toEqual({ ok: true });
    const approval = await checkApproval(refused.status.pendingApprovalId!);
    expect(approval.status).toBe('approved');
    expect(approval.steps[0]).toMatchObject({ actualApprover: ADELE, assignedApprover: { displayName: '[mlops-v2]\\Release Approvers' } });
    expect(await pipelines.status('prod', refused.ref)).toMatchObject({ decidedBy: 'Adele Vance' });
  });
});
