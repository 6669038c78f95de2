import type { Schema } from "../../api";
import { can, type Me } from "../../session";

export type User = Schema<"UserView">;
export type Role = Schema<"OrganizationRole">;
export type Locale = NonNullable<Schema<"UserView">["locale"]>;

export const ALL_ROLES: readonly Role[] = ["GLOBAL_ADMIN", "ACCOUNT_ADMIN", "USER_ADMIN", "INCENTIVE_ADMIN", "INCENTIVE_USER"];
export const INCENTIVE_ROLES: readonly Role[] = ["INCENTIVE_ADMIN", "INCENTIVE_USER"];
export const LOCALES: readonly Locale[] = ["ja", "ko", "en"];

/** The roles this person may give (the API still decides: a refusal comes back as a problem). */
export function assignableRoles(me: Me): Role[] {
  if (can(me, "roles:assign")) {
    return [...ALL_ROLES];
  }
  if (can(me, "users:manage")) {
    return ALL_ROLES.filter((role) => role !== "GLOBAL_ADMIN" || can(me, "users:manage-global-admins"));
  }
  return [...INCENTIVE_ROLES]; // incentive-users:manage, roles:assign-incentive
}

/** Whether this person may create, reset, deactivate, reactivate and change the language of users at all. */
export function managesUsers(me: Me): boolean {
  return can(me, "users:manage") || can(me, "incentive-users:manage");
}

/** Whether this person's roles reach this user (UserAdministrationPolicy, as far as a portal can tell). */
export function reaches(me: Me, user: User): boolean {
  if (user.roles.includes("GLOBAL_ADMIN")) {
    return can(me, "users:manage-global-admins") || can(me, "roles:assign");
  }
  if (user.roles.some((role) => !INCENTIVE_ROLES.includes(role))) {
    return can(me, "users:manage") || can(me, "roles:assign");
  }
  return true;
}

/** The messages the API gave for a field, including its items (`locations[0]`). */
export function fieldMessages(fieldErrors: Readonly<Record<string, readonly string[]>> | undefined, field: string): string[] {
  return Object.entries(fieldErrors ?? {})
    .filter(([name]) => name === field || name.startsWith(`${field}[`) || name.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}
