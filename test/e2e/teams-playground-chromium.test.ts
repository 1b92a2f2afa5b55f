/**
 * The whole product in demo mode, started exactly as the README says (`npm start` in a copy of the
 * repository with the default DATABASE_URL, so every relative path is the user's), driven through
 * the Playground's web UI in headless Chromium. Alex (the UI's current user) asks
 * for preprod in the group chat by @mentioning the bot, then for prod in his personal chat; the
 * approval card lands in the group chat, his own Approve is refused, Megan approves (through the
 * Playground's invoke endpoint: the UI only acts as Alex), the card shows the outcome, and the CLI,
 * attached to the running emulator, sees v5 in prod. Then Alex types `link`, follows the link and
 * signs in on the emulator's Entra page; he approves a promotion someone else asked for from the CLI,
 * and the emulator's Azure DevOps records him, not the bot, as the approver (DESIGN 9.6).
 * Screenshots go to test-artifacts/.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PLAYGROUND_BOT, PLAYGROUND_USERS } from '../../src/playground';
import { readPorts } from '../../src/emulator/ports';
import { copyRepository, npmStart, removeCopy, REPO, type StartedProduct } from '../support/npm-start';
import { cards, chromiumMissing, clickCardButton, invokeAs, openChat, openPlayground, say, screenshotter, type InvokeExchange, type PlaygroundBrowser } from '../support/playground-browser';

const ARTIFACTS = join(REPO, 'test-artifacts', 'teams-playground-chromium');
const STEP_MS = 60_000;
const WAIT_MS = 45_000;
const GROUP_CHAT = /MLOps demo group/;
const alex = PLAYGROUND_USERS.currentUser;
const megan = PLAYGROUND_USERS.users.find((u) => u.id === 'user-id-1')!;

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the Agents Playground browser test: ${missing}`);
const suite = missing ? describe.skip : describe;

suite(missing ? `Teams in the Agents Playground, in Chromium (skipped: ${missing})` : 'Teams in the Agents Playground, in Chromium', () => {
  let app: string | undefined;
  let product: StartedProduct | undefined;
  let browser: PlaygroundBrowser | undefined;
  let page: Page;
  let playgroundUrl: string;
  let shot: ReturnType<typeof screenshotter>;
  // Filled in as the story goes.
  let prodRequest: string;
  let alexClick: InvokeExchange;
  let prodRelease: string;
  // The classifier goes to preprod from the CLI while the story runs, so its prod request is quick later.
  let classifierPreprod: Promise<{ code: number | null; out: string }>;
  let classifierRequest: string;
  let classifierRun: string;

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    shot = screenshotter(ARTIFACTS);
    app = copyRepository();
    product = npmStart(app, { LOG_LEVEL: 'warn' });
    playgroundUrl = (await product.waitFor(/Agents Playground\): (http:\/\/\S+)/, 80_000))[1];
    // The Playground read the config the bot wrote (its own default would have other chats).
    expect(existsSync(join(app, 'data', 'playground', 'm365agentsplayground.yml'))).toBe(true);
    expect(existsSync(join(app, 'data', 'playground', 'data'))).toBe(false);
    // An admin action from the CLI before anyone opened a chat: its audit post goes to the Teams
    // group chat through the reference made at start-up, not one learnt from a message.
    const subscribed = await product.cli(['subscribe failed-runs --env prod', '--as', 'cli:admin', '--channel', 'cli:ops', '--wait', '10'], WAIT_MS);
    expect(subscribed.code).toBe(0);
    classifierPreprod = product.cli(['promote taxi-fare-classifier preprod', '--as', 'cli:carol', '--wait', '80'], 90_000);
    browser = await openPlayground(playgroundUrl, join(app, '..', 'chromium-profile'));
    page = browser.page;
    await shot(page, '00-playground-open');
  }, 90_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await product?.stop();
    if (product && /Conversation not found|outbox effect failed/.test(product.output())) console.warn(product.output());
    if (app) removeCopy(app);
  }, 30_000);

  it('the UI opens as Alex, with the group chat the approvers are in', async () => {
    await page.getByText(alex.name).first().waitFor({ timeout: WAIT_MS });
    await page.getByRole('treeitem', { name: GROUP_CHAT }).waitFor({ timeout: WAIT_MS });
  }, STEP_MS);

  it('Alex @mentions the bot in the group chat: v5 goes to preprod with no approval', async () => {
    await openChat(page, GROUP_CHAT);
    await say(page, 'promote taxi-model preprod', { mention: PLAYGROUND_BOT.name });
    const card = cards(page, 'Promote taxi-model v5 to preprod').first();
    await card.waitFor({ timeout: WAIT_MS });
    await shot(page, '01-preprod-requested', card);
    await cards(page, 'Promote taxi-model v5 to preprod', 'Succeeded').first().waitFor({ timeout: WAIT_MS });
    await shot(page, '02-preprod-succeeded', card);
    expect(await card.innerText()).toMatch(/v5 now runs in preprod/);
  }, STEP_MS);

  it('Alex asks for prod in his personal chat: the bot answers with the request awaiting approval', async () => {
    await openChat(page, 'Personal Chat');
    await say(page, 'promote taxi-model prod');
    const card = cards(page, 'Promote taxi-model v5 to prod', 'Awaiting approval').first();
    await card.waitFor({ timeout: WAIT_MS });
    await shot(page, '03-prod-requested', card);
    prodRequest = /Request (PR-[A-Z0-9]+)/.exec(await card.innerText())![1];
  }, STEP_MS);

  it('the approval card appears in the group chat and settles with the release waiting at its gate', async () => {
    await openChat(page, GROUP_CHAT);
    const card = approvalCard(page, prodRequest);
    await card.waitFor({ timeout: WAIT_MS });
    // The release is created before anyone approves; once its Azure DevOps gate is up the card stops changing.
    await approvalCard(page, prodRequest, /release \d+ \(awaiting approval\)/).waitFor({ timeout: WAIT_MS });
    await shot(page, '04-approval-card', card);
    const text = await card.innerText();
    expect(text).toContain(`Requested by\n${alex.name}`);
    expect(text).toMatch(/Awaiting approval \(0 of 1\)/);
  }, STEP_MS);

  it("Alex's own Approve is refused, and his card says so", async () => {
    alexClick = await clickCardButton(page, approvalCard(page, prodRequest), 'Approve');
    expect(alexClick.request).toMatchObject({ from: { id: alex.id }, value: { action: { verb: 'approve', data: { requestId: prodRequest } } } });
    expect(alexClick.status).toBe(200);
    expect(alexClick.answer).toContain('Not allowed');
    // The Playground puts the invoke's answer in place of the card, for the clicking user only.
    const refused = cards(page, 'Not allowed').first();
    await refused.waitFor({ timeout: WAIT_MS });
    await shot(page, '05-self-approval-refused', refused);
    await page.getByText('Your response was sent to the app').first().waitFor({ timeout: WAIT_MS });
  }, STEP_MS);

  it('Megan approves the same card, and everyone sees the promotion succeed', async () => {
    const approved = await invokeAs(playgroundUrl, megan.id, alexClick.request);
    expect(approved.status).toBe(200);
    expect(approved.answer).toContain(`1 of 1: ${megan.name}`);
    expect(approved.answer).not.toContain('"verb":"approve"');

    const done = approvalCard(page, prodRequest, 'Succeeded');
    await done.waitFor({ timeout: WAIT_MS });
    await shot(page, '06-prod-succeeded', done);
    const text = await done.innerText();
    expect(text).toContain(`1 of 1: ${megan.name}`);
    const outcome = new RegExp(`Approved by ${megan.name} — release (\\d+) succeeded; v5 now runs in prod`).exec(text);
    expect(outcome).not.toBeNull();
    prodRelease = outcome![1];
    expect(await done.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // The answer Alex got in his personal chat is edited too.
    await openChat(page, 'Personal Chat');
    const reply = cards(page, `Request ${prodRequest}`, 'Succeeded').first();
    await reply.waitFor({ timeout: WAIT_MS });
    await shot(page, '07-personal-chat-after', reply);
  }, STEP_MS);

  it("the emulator's Azure DevOps release to prod succeeded, as the CLI attached to it reports", async () => {
    const releases = await product!.cli(['releases taxi-model --env prod', '--as', 'cli:carol', '--wait', '0'], WAIT_MS);
    expect(releases.code).toBe(0);
    expect(releases.out).toMatch(new RegExp(`Release-${prodRelease}\\s+taxi-model v5\\s.*prod: succeeded`));
  }, STEP_MS);

  it('compare taxi-model carries its chart: an Image loaded from the bot\'s signed /charts link', async () => {
    await openChat(page, 'Personal Chat');
    await say(page, 'compare taxi-model');
    const card = cards(page, 'Compare taxi-model').first();
    await card.waitFor({ timeout: WAIT_MS });
    const image = card.locator('img').first();
    await image.waitFor({ timeout: WAIT_MS });
    expect(await image.getAttribute('src')).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/charts\?c=[\w-]+&e=\d+&s=[\w-]{43}$/);
    expect(await image.getAttribute('alt')).toMatch(/^Chart of rmse by version of taxi-model .*prod v5/);
    // Drawn by the bot and decoded by the browser: a picture of chat size, not a broken image.
    type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };
    await page.waitForFunction((img) => (img as unknown as Img).complete && (img as unknown as Img).naturalWidth > 0, await image.elementHandle(), { timeout: WAIT_MS });
    const size = await image.evaluate((img) => ({ width: (img as unknown as Img).naturalWidth, height: (img as unknown as Img).naturalHeight }));
    expect(size.width).toBeGreaterThan(500);
    expect(size.height).toBeGreaterThan(200);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '08-compare-chart', card);
  }, STEP_MS);

  it('Alex types `link` in his personal chat, follows the link and signs in on the emulator\'s Entra page', async () => {
    await openChat(page, 'Personal Chat');
    await say(page, 'link');
    const card = cards(page, 'Link your Entra account').last();
    await card.waitFor({ timeout: WAIT_MS });
    await shot(page, '09-link', card);
    const [signIn] = await Promise.all([
      page.context().waitForEvent('page', { timeout: WAIT_MS }),
      card.getByRole('link', { name: 'Sign in with Microsoft' }).click(),
    ]);
    await signIn.getByRole('button', { name: `${alex.name} (${alex.email})` }).click({ timeout: WAIT_MS });
    await signIn.getByRole('heading', { name: 'Account linked' }).waitFor({ timeout: WAIT_MS });
    expect(await signIn.locator('body').innerText()).toContain(alex.email);
    await signIn.screenshot({ path: join(ARTIFACTS, '10-signed-in.png') });
    await signIn.close();
    await cards(page, 'Account linked').last().waitFor({ timeout: WAIT_MS });
  }, STEP_MS);

  it('a promotion asked for from the CLI waits in the group chat; Alex approves it there as himself', async () => {
    const preprod = await classifierPreprod;
    expect(preprod.out).toMatch(/Succeeded/i);
    const asked = await product!.cli(['promote taxi-fare-classifier prod', '--as', 'cli:carol', '--wait', '0'], WAIT_MS);
    expect(asked.code).toBe(0);
    classifierRequest = /(PR-[A-Z0-9]{5})/.exec(asked.out)![1];
    await openChat(page, GROUP_CHAT);
    const card = approvalCard(page, classifierRequest, /run \d+ \(awaiting approval\)/);
    await card.waitFor({ timeout: WAIT_MS });
    const click = await clickCardButton(page, approvalCard(page, classifierRequest), 'Approve');
    expect(click.status).toBe(200);
    expect(click.answer).toContain(`1 of 1: ${alex.name}`);
    const done = approvalCard(page, classifierRequest, 'Succeeded');
    await done.waitFor({ timeout: WAIT_MS });
    await shot(page, '11-classifier-approved-by-alex', done);
    classifierRun = /Approved by Alex Wilber — run (\d+) succeeded/.exec(await done.innerText())![1];
  }, STEP_MS);

  it("the emulator's Azure DevOps records Alex, not the bot, as the approver of that run's prod check", async () => {
    const ports = readPorts(join(app!, 'data', 'emulator'))!;
    const url = `http://127.0.0.1:${ports.http}/mlops-org/mlops-v2/_apis/pipelines/approvals?state=approved&$expand=steps&api-version=7.2-preview.2`;
    const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(':e2e-pat').toString('base64')}` } });
    const approvals = ((await res.json()) as { value: { pipeline?: { owner?: { id: number } }; steps: { actualApprover?: { displayName: string; uniqueName: string }; comment: string }[] }[] }).value;
    const gate = approvals.find((a) => a.pipeline?.owner?.id === Number(classifierRun));
    expect(gate?.steps[0]).toMatchObject({ actualApprover: { displayName: alex.name, uniqueName: alex.email }, comment: `Approved via MLOps Bot by ${alex.name} (request ${classifierRequest})` });
  }, STEP_MS);

  it('every card and audit post reached its Teams chat: no delivery failed along the way', () => {
    expect(product!.output()).not.toMatch(/Conversation not found|outbox effect failed|outbox effect is dead/);
  });
});

/** The promotion card of this request that still carries its Approve button, or the one showing `more`. */
function approvalCard(page: Page, requestId: string, more?: string | RegExp): Locator {
  const base = cards(page, `Request ${requestId}`, ...(more ? [more] : []));
  return (more ? base : base.filter({ has: page.getByRole('button', { name: 'Approve' }) })).first();
}
