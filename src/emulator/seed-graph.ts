/**
 * The emulator's Entra directory: the Agents Playground's mock users (same object ids and emails,
 * so a Playground user is found in Graph) and groups for approver lists. "ML Leads" holds Adele
 * and, through the nested "ML Reviewers", Isaiah: the demo config names it as a prod approver.
 */
import type { EmulatorContext } from './context';
import { entraState, type GraphGroupRec, type GraphUserRec } from './entra-state';

export const SEED_GROUP_ML_LEADS = '00000000-0000-4000-8000-000000000041';
export const SEED_GROUP_ML_REVIEWERS = '00000000-0000-4000-8000-000000000042';

const user = (n: number, first: string, last: string): GraphUserRec => {
  const email = `${first.toLowerCase()}${last[0].toLowerCase()}@example.com`;
  return { id: `00000000-0000-4000-8000-0000000000${20 + n}`, displayName: `${first} ${last}`, mail: email, userPrincipalName: email };
};

export function seedGraphUsers(): GraphUserRec[] {
  return [
    user(0, 'Alex', 'Wilber'), user(1, 'Megan', 'Bowen'), user(2, 'Adele', 'Vance'),
    user(3, 'Isaiah', 'Langer'), user(4, 'Patti', 'Fernandez'), user(5, 'Lynne', 'Robbins'),
  ];
}

export function seedGraphGroups(): GraphGroupRec[] {
  const [, , adele, isaiah] = seedGraphUsers();
  return [
    { id: SEED_GROUP_ML_LEADS, displayName: 'ML Leads', members: [adele.id, SEED_GROUP_ML_REVIEWERS] },
    { id: SEED_GROUP_ML_REVIEWERS, displayName: 'ML Reviewers', members: [isaiah.id] },
  ];
}

/** Users and groups of the persisted state, seeded the first time they are needed. */
export function graphDirectoryState(emu: EmulatorContext): { users: GraphUserRec[]; groups: GraphGroupRec[] } {
  const entra = entraState(emu);
  if (!entra.users || !entra.groups) {
    entra.users ??= seedGraphUsers();
    entra.groups ??= seedGraphGroups();
    emu.persist();
  }
  return { users: entra.users, groups: entra.groups };
}
