/**
 * `npm run bench`: every benchmark, one after another, each in its own process so none warms
 * another's caches. Extra arguments go to every benchmark that knows them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['startup.ts', 'commands.ts', 'slack-ack.ts', 'notifications.ts', 'replicas.ts', 'faults.ts', 'charts.ts'];

let failed = 0;
for (const file of BENCHES) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; process.stdout.write(`bench/${file} failed (exit ${r.status ?? r.signal})\n`); }
}
process.exitCode = failed === 0 ? 0 : 1;
