/**
 * What the audit log records: its actions and the shape of an entry. Free of imports, so the web
 * app can take the types (through apiShapes.ts) without the server's plugins.
 */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'login_failed',
  'lockout_clear',
  'acknowledge',
  'resolve',
  'dispatch',
  'assignment',
  'config_change',
  'import',
  'device_issue',
  'device_revoke',
  'user_create',
  'user_change',
  'team_change',
  'team_create',
  'incident_create',
  'incident_step',
  'display_create',
  'display_revoke',
  'event_create',
  'event_cancel',
  'export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: number;
  /** Username, or the name tried for a failed login. */
  actor: string;
  role: string;
  action: AuditAction;
  target: string;
  ip: string;
  detail: Record<string, unknown>;
}
