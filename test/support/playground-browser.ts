/**
 * Drives the Microsoft 365 Agents Playground's web UI in headless Debian Chromium (playwright-core,
 * no bundled browser). Selectors and internal endpoints are the Playground 0.2.28's own; they are
 * undocumented, so they live here and nowhere else.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No background traffic, no GPU, and root in a container needs no sandbox. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const COMPOSE_BOX = '[data-lexical-editor="true"][role="textbox"]';

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is not installed (apt-get install chromium; .ci/run does it)`;
}

export interface PlaygroundBrowser {
  page: Page;
  close(): Promise<void>;
}

export async function openPlayground(url: string, profileDir: string): Promise<PlaygroundBrowser> {
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS,
    // Tall enough that a promotion card and the messages around it fit in one screenshot.
    viewport: { width: 1400, height: 1600 },
  });
  try {
    // The page asks an Office CDN for web fonts: refused at once, it renders with local fonts.
    await context.route('**/*', (route) => (LOCAL_HOSTS.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort('blockedbyclient')));
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(45_000);
    await page.goto(url);
    await page.locator(COMPOSE_BOX).waitFor();
    return { page, close: () => context.close() };
  } catch (e) {
    await context.close();
    throw e;
  }
}

/** Chats are tree items: "Personal Chat", the group chat by its name, team channels by theirs. */
export async function openChat(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('treeitem', { name }).click();
  await page.locator(COMPOSE_BOX).waitFor();
}

/**
 * Types a message as the Playground's current user and sends it. `mention` picks the bot from the
 * compose box's typeahead first, as a person does outside the personal chat.
 */
export async function say(page: Page, text: string, opts: { mention?: string } = {}): Promise<void> {
  const box = page.locator(COMPOSE_BOX);
  await box.click();
  if (opts.mention) {
    await box.pressSequentially(`@${opts.mention.slice(0, 2)}`);
    await page.getByRole('menuitem', { name: opts.mention }).click();
    await box.pressSequentially(' ');
  }
  await box.pressSequentially(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

/** Rendered Adaptive Cards containing all the given texts. */
export function cards(page: Page, ...texts: (string | RegExp)[]): Locator {
  return texts.reduce((l, t) => l.filter({ hasText: t }), page.locator('.ac-adaptiveCard'));
}

export interface InvokeExchange {
  /** What the UI posted to `/_conversation/v1/invoke` (from, conversation, replyToId, value). */
  request: Record<string, unknown>;
  status: number;
  answer: string;
}

/** Clicks a card button and returns the invoke the UI sent for it, with the bot's answer. */
export async function clickCardButton(page: Page, card: Locator, title: string): Promise<InvokeExchange> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/_conversation/v1/invoke'),
    card.getByRole('button', { name: title }).click(),
  ]);
  return { request: JSON.parse(response.request().postData() ?? '{}') as Record<string, unknown>, status: response.status(), answer: await response.text() };
}

/** The same card action as another mock user: the UI only ever acts as the current user. */
export async function invokeAs(playgroundUrl: string, userId: string, asClicked: Record<string, unknown>): Promise<{ status: number; answer: string }> {
  const res = await fetch(`${playgroundUrl}/_conversation/v1/invoke`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...asClicked, from: { id: userId } }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, answer: await res.text() };
}

/** Screenshots of the page, and of one card when given, named by step. */
export function screenshotter(dir: string): (page: Page, step: string, card?: Locator) => Promise<void> {
  mkdirSync(dir, { recursive: true });
  return async (page, step, card) => {
    if (card) await card.screenshot({ path: join(dir, `${step}-card.png`) });
    await page.screenshot({ path: join(dir, `${step}.png`) });
  };
}
