import { auditCommand } from './audit';
import { auditShowCommand } from './audit-show';
import { auditVerifyCommand } from './audit-verify';
import { compareCommand } from './compare';
import { modelCommand } from './model';
import { modelsCommand } from './models';
import type { CommandDeclaration } from './registry';
import { releasesCommand } from './releases';
import { runsCommand } from './runs';
import { scheduleSpecs } from './specs/schedule';
import { spCreateSpec } from './specs/sp';
import { subscriptionSpecs } from './specs/subscribe';
import { whoamiCommand } from './whoami';
import { endpointsCommand } from './endpoints';
import { whereisCommand } from './whereis';

/** The read-only commands with their handlers (`help` lives apart: it describes all the others). */
export const readCommands: readonly CommandDeclaration[] = [
  whoamiCommand, modelsCommand, modelCommand, compareCommand, releasesCommand, runsCommand, auditCommand, auditShowCommand, auditVerifyCommand,
  whereisCommand, endpointsCommand,
];

/** Grammar whose handlers an installation attaches separately (listed later with `withHandler`). */
export const declaredOnly: readonly CommandDeclaration[] = [...scheduleSpecs, spCreateSpec, ...subscriptionSpecs];
