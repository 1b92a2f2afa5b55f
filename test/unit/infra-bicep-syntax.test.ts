/**
 * Offline Bicep syntax check of every file under infra/: the Bicep grammar that tree-sitter-bicep
 * ships as WebAssembly, loaded with web-tree-sitter (no Bicep CLI, no network). Each ERROR or
 * MISSING node is reported with its file, line and column. The structural checks stay in infra.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

const REPO = join(__dirname, '../..');
const GRAMMAR = require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');

let parser: Parser;

beforeAll(async () => {
  await Parser.init();
  parser = new Parser();
  // Bytes, not a path: loading from a path imports fs dynamically, which Jest's VM does not allow.
  parser.setLanguage(await Language.load(readFileSync(GRAMMAR)));
});

function bicepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return bicepFiles(path);
    return e.name.endsWith('.bicep') ? [path] : [];
  });
}

function syntaxErrors(text: string): string[] {
  const tree = parser.parse(text);
  if (!tree) return ['the parser returned no tree'];
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.isError || node.isMissing) {
      out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? `missing ${node.type}` : `unexpected ${JSON.stringify(node.text.slice(0, 40))}`}`);
      return;
    }
    for (const child of node.children) if (child && child.hasError) walk(child);
    if (node.hasError && !node.children.some((c) => c?.hasError)) out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} error in ${node.type}`);
  };
  walk(tree.rootNode);
  tree.delete();
  return out;
}

const files = bicepFiles(join(REPO, 'infra'));

test('infra/ has Bicep files to check', () => {
  expect(files.length).toBeGreaterThan(1);
});

test.each(files.map((f) => relative(REPO, f)))('%s parses without syntax errors', (file) => {
  expect(syntaxErrors(readFileSync(join(REPO, file), 'utf8'))).toEqual([]);
});

test('the check catches broken Bicep (an unclosed object, a missing value)', () => {
  expect(syntaxErrors("param location string = resourceGroup().location\nresource plan 'Microsoft.Web/serverfarms@2023-12-01' = {\n  name: \n  location: location\n")).not.toEqual([]);
  expect(syntaxErrors("param name string\nvar x = \n")).not.toEqual([]);
});
