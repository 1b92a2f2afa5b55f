import type { Permission } from './types';

/** Who a command-level permission admits, in words for refusals and help. */
export const WHO_MAY: Record<Permission, string> = {
  anyone: 'everyone',
  approver: 'approvers and admins',
  scheduler: 'schedulers and admins',
  admin: 'admins',
};
