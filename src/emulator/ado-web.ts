/**
 * The page an "Open release N" link opens: in Azure DevOps the release summary in the portal; here a
 * plain read-only HTML summary (stages, their status, pending approvals, the release variables), so
 * the links the bot posts open something useful in a browser. Browsers carry no PAT: it is served on
 * loopback only, like the rest of the emulator, and shows nothing secret.
 */
import type { EmulatorContext } from './context';
import type { Ctx, Router } from './router';
import { queryParam } from './router';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function send(ctx: Ctx, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
  ctx.res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html).toString() });
  ctx.res.end(html);
}

function releasePage(ctx: Ctx, emu: EmulatorContext): void {
  const { organization, project } = emu.state.ado;
  const p = (ctx.params['project'] ?? '').toLowerCase();
  if ((ctx.params['org'] ?? '').toLowerCase() !== organization.toLowerCase() || (p !== project.id && p !== project.name.toLowerCase())) {
    return send(ctx, 404, 'Not found', '<p>No such organization or project in the local emulator.</p>');
  }
  const id = Number(queryParam(ctx.query, 'releaseId'));
  const rel = emu.state.ado.releases.find((r) => r.id === id);
  if (!rel) return send(ctx, 404, 'Release not found', `<p>There is no release ${escape(String(queryParam(ctx.query, 'releaseId') ?? ''))} in ${escape(project.name)}.</p>`);
  const pending = new Set(emu.state.ado.approvals.filter((a) => a.releaseId === rel.id && a.status === 'pending').map((a) => a.releaseEnvironmentId));
  const stages = [...rel.environments].sort((a, b) => a.rank - b.rank)
    .map((e) => `<tr><td>${escape(e.name)}</td><td>${escape(pending.has(e.id) ? 'waiting for approval' : e.status)}</td><td>${escape(e.modifiedOn)}</td></tr>`).join('');
  const vars = Object.entries(rel.variables).filter(([, v]) => !v.isSecret)
    .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${escape(v.value)}</td></tr>`).join('');
  send(ctx, 200, `${rel.name} (${project.name})`, `<p>${escape(rel.description)}</p><p>Created ${escape(rel.createdOn)}, ${escape(rel.status)}.</p>`
    + `<table><tr><th>Stage</th><th>Status</th><th>Changed</th></tr>${stages}</table>`
    + `<table><tr><th>Variable</th><th>Value</th></tr>${vars}</table>`);
}

export function registerWebRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', '/:org/:project/_release', async (ctx) => releasePage(ctx, emu));
}
