/**
 * A card's picture in Slack: the PNG uploaded with files.uploadV2 (files.getUploadURLExternal, the
 * bytes to the upload URL, files.completeUploadExternal) and shown by the card's image block
 * (`slack_file` by id). The file is not shared into the channel on its own: the card's image block
 * is where people see it, so it is not posted twice. A failed or slow upload gives the card
 * without the picture, saying it is missing.
 */
import type { WebClient } from '@slack/web-api';
import { imageMissing, type CardMessage } from '../../core/cards/views';
import type { Logger } from '../../core/ports';
import { slackContent, type SlackContent } from './blocks';

/** The three calls of an upload together (each is bounded by the client's own timeout too). */
export const UPLOAD_TIMEOUT_MS = 20_000;
export const UPLOAD_FAILED = 'the upload to Slack failed; run the command again for the picture.';

interface CompletedUpload { files?: { id?: string }[] }

/** The file id of the uploaded PNG; rejects on failure or after `timeoutMs`. */
export async function uploadPng(client: WebClient, image: { name: string; alt: string; png: Uint8Array }, timeoutMs = UPLOAD_TIMEOUT_MS): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`upload not finished within ${timeoutMs} ms`)), timeoutMs); });
  try {
    const res = await Promise.race([
      client.files.uploadV2({ file: Buffer.from(image.png), filename: `${image.name}.png`, title: image.name, alt_text: image.alt.slice(0, 1000) }),
      expired,
    ]);
    const completed = (res as { files?: CompletedUpload[] }).files ?? [];
    const id = completed.flatMap((c) => c.files ?? []).map((f) => f.id).find((v): v is string => typeof v === 'string');
    if (!id) throw new Error('files.completeUploadExternal named no file');
    return id;
  } finally {
    clearTimeout(timer);
  }
}

/** The message's blocks, its picture uploaded first; never fails for the picture's sake. */
export async function contentWithImage(client: WebClient, message: CardMessage, log?: Logger): Promise<SlackContent> {
  const image = message.image;
  if (!image?.png || image.missing) return slackContent(message);
  try {
    return slackContent(message, { slackFileId: await uploadPng(client, { name: image.name, alt: image.alt, png: image.png }) });
  } catch (e) {
    log?.warn({ chart: image.name, err: e instanceof Error ? e.message : String(e) }, 'chart upload failed; the card goes without it');
    return slackContent(imageMissing(message, UPLOAD_FAILED));
  }
}
