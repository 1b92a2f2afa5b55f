import { createBot, seedTaxiStory, tableOf, textOf } from '../support/bot-harness';
it('smoke', async () => {
  const bot = await createBot();
  seedTaxiStory(bot);
  await bot.registry.tagVersion('dev', 'taxi-model', '3', { 'mlops-env-prod': '2026-10-20T00:00:00Z' });
  for (const t of ['help', 'whoami', 'models', 'model taxi-model', 'compare taxi-model', 'compare taxi-model 1 2 --metric r2', 'runs', 'releases', 'audit', 'audit verify', 'help schedule', 'schedule list', 'approve PR-1', 'models --env prd', 'compare taxi-model 9', 'model taxy-model']) {
    const o = await bot.say('slack:U0DAVE', t);
    console.log('> ' + t + '\n' + o.status + ' ' + o.reply.template + '\n' + JSON.stringify(tableOf(o)) + '\n' + textOf(o));
  }
  console.log(JSON.stringify(await bot.audit()));
  await bot.close();
});
