import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** The architecture rules of DESIGN §2, checked on the source text (no build needed). */
const FORBIDDEN_PACKAGES = [/^@slack\//, /^botbuilder/, /^@azure\//, /^azure-devops-node-api/, /^@microsoft\//, /^pg$/, /^pg\//, /^better-sqlite3/, /^pino/];
const FORBIDDEN_DIRS = ['src/adapters', 'src/app', 'src/http', 'src/config', 'src/emulator', 'src/logging', 'src/main', 'src/cli'];
/** Adapters implement or call ports of the core; the composition root (src/app) wires them and is never imported by them. */
const ADAPTER_FORBIDDEN_DIRS = ['src/app', 'src/main', 'src/cli'];
const ENV_ALLOWED = ['src/main.ts'];

interface SourceFile { path: string; text: string }

const SPECIFIERS = [
  /\bimport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const ENV_ACCESS = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])/;

/** Comments may explain the rules (e.g. that an SDK reads the environment itself); only code counts. */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function importsOf(text: string): string[] {
  return SPECIFIERS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
}

/** Every rule broken by the given files (paths relative to the repo, with forward slashes). */
export function findViolations(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const { path } = file;
    const text = stripComments(file.text);
    if (path.startsWith('src/core/')) {
      for (const spec of importsOf(text)) {
        const target = spec.startsWith('.') ? posix.normalize(posix.join(posix.dirname(path), spec)) : spec;
        if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) out.push(`${path} imports ${spec} (src/core imports no SDK)`);
        else if (spec.startsWith('.') && FORBIDDEN_DIRS.some((d) => target === d || target.startsWith(`${d}/`) || target.startsWith(`${d}.`))) {
          out.push(`${path} imports ${spec} (src/core must not depend on ${target})`);
        }
      }
    }
    if (path.startsWith('src/adapters/')) {
      for (const spec of importsOf(text).filter((s) => s.startsWith('.'))) {
        const target = posix.normalize(posix.join(posix.dirname(path), spec));
        if (ADAPTER_FORBIDDEN_DIRS.some((d) => target === d || target.startsWith(`${d}/`) || target.startsWith(`${d}.`))) {
          out.push(`${path} imports ${spec} (adapters must not depend on ${target})`);
        }
      }
    }
    if (!ENV_ALLOWED.includes(path) && ENV_ACCESS.test(text)) out.push(`${path} reads process.env (only src/main.ts may)`);
  }
  return out;
}

function sourceFiles(root: string, dir: string): SourceFile[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = posix.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(root, rel);
    if (!/\.(ts|js|mjs|cjs|mts|cts)$/.test(e.name)) return [];
    return [{ path: rel, text: readFileSync(join(root, rel), 'utf8') }];
  });
}

describe('architecture boundaries', () => {
  const root = join(__dirname, '..', '..');

  it('holds for the real source tree', () => {
    const files = sourceFiles(root, 'src');
    expect(files.some((f) => f.path.startsWith('src/core/'))).toBe(true);
    expect(findViolations(files)).toEqual([]);
  });
});

describe('the boundary scanner', () => {
  it('finds every import form', () => {
    const text = [
      "import { App } from '@slack/bolt';", "import type { X } from './x';", "import '../side-effect';",
      "export * from 'pg';", "const a = require('better-sqlite3');", "const b = await import('@azure/identity');",
      "import {\n  CloudAdapter,\n} from 'botbuilder';",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../side-effect', './x', '@azure/identity', '@slack/bolt', 'better-sqlite3', 'botbuilder', 'pg'].sort());
  });

  it('flags SDKs, forbidden folders and environment access, and nothing else', () => {
    const files: SourceFile[] = [
      { path: 'src/core/a.ts', text: "import { App } from '@slack/bolt';\nimport { x } from './ok';\nimport { randomUUID } from 'node:crypto';" },
      { path: 'src/core/b/c.ts', text: "import { Client } from 'pg';\nimport type { M } from '../../adapters/store/sqlite';\nimport type { T } from '../types';" },
      { path: 'src/core/d.ts', text: "import pino from 'pino';\nimport { C } from '../config';\nimport { H } from '../http/server';\nimport { W } from '@microsoft/teams-js';" },
      { path: 'src/core/e.ts', text: "import { A } from 'azure-devops-node-api';\nimport { B } from 'botbuilder-core';\nimport { S } from '@azure/identity';" },
      { path: 'src/adapters/slack/app.ts', text: "import { App } from '@slack/bolt';\nconst port = process.env.PORT;" },
      { path: 'src/config/x.ts', text: "const e = process['env'];" },
      { path: 'src/main.ts', text: 'const port = process.env.PORT;' },
      { path: 'src/adapters/x.ts', text: "/** the SDK reads process.env itself */\n// import { App } from '@slack/bolt';\nconst u = 'https://x'; // process.env" },
      { path: 'src/core/f.ts', text: "/* import pg from 'pg'; */\nconst url = 'http://a/b'; // require('pg')" },
      { path: 'src/core/g.ts', text: "import { compose } from '../app/compose';" },
      { path: 'src/adapters/slack/h.ts', text: "import type { BotCore } from '../../app/surface';\nimport type { P } from '../../core/ports';" },
    ];
    expect(findViolations(files)).toEqual([
      'src/core/a.ts imports @slack/bolt (src/core imports no SDK)',
      'src/core/b/c.ts imports pg (src/core imports no SDK)',
      'src/core/b/c.ts imports ../../adapters/store/sqlite (src/core must not depend on src/adapters/store/sqlite)',
      'src/core/d.ts imports pino (src/core imports no SDK)',
      'src/core/d.ts imports ../config (src/core must not depend on src/config)',
      'src/core/d.ts imports ../http/server (src/core must not depend on src/http/server)',
      'src/core/d.ts imports @microsoft/teams-js (src/core imports no SDK)',
      'src/core/e.ts imports azure-devops-node-api (src/core imports no SDK)',
      'src/core/e.ts imports botbuilder-core (src/core imports no SDK)',
      'src/core/e.ts imports @azure/identity (src/core imports no SDK)',
      'src/adapters/slack/app.ts reads process.env (only src/main.ts may)',
      'src/config/x.ts reads process.env (only src/main.ts may)',
      'src/core/g.ts imports ../app/compose (src/core must not depend on src/app/compose)',
      'src/adapters/slack/h.ts imports ../../app/surface (adapters must not depend on src/app/surface)',
    ]);
  });
});
