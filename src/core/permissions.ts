/** The registry of permissions: `resource:action` strings checked by every page, API route and CLI command. */
export const PERMISSIONS = [
  'people:read',
  'people:write',
  'people:delete',
  'people:import',
  'people:export',
  'memberships:read',
  'memberships:write',
  'dues:manage',
  'accounts:read',
  'accounts:manage',
  'settings:manage',
  'audit:read',
  'groups:manage',
  'oidc:manage',
  'invitations:create',
  'registrations:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Roles group permissions; an account may hold several. */
export const ROLES: Record<string, readonly Permission[]> = {
  admin: PERMISSIONS,
  treasurer: ['people:read', 'people:export', 'memberships:read', 'memberships:write', 'dues:manage', 'audit:read'],
  secretary: [
    'people:read', 'people:write', 'people:delete', 'people:import', 'people:export',
    'memberships:read', 'memberships:write', 'audit:read',
  ],
  member: [],
  /** May create invitation links for new members (sponsorship). */
  inviter: ['invitations:create'],
};

export type Role = keyof typeof ROLES;

/** True when the name is a known role. */
export function isRole(name: string): boolean {
  return Object.hasOwn(ROLES, name);
}

/** The permissions granted by a set of roles. */
export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLES[role] ?? []) out.add(p);
  return out;
}
