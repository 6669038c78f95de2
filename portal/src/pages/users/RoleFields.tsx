import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Schema } from "../../api";
import FieldError from "./FieldError";
import type { Role } from "./shared";

type Location = Schema<"IdentityLocation">;

/** Roles and the locations an incentive role is limited to, as two groups of checkboxes. */
export default function RoleFields({
  roles, locations, offered, allLocations, onRoles, onLocations, roleErrors, locationErrors,
}: {
  roles: readonly Role[];
  locations: readonly string[];
  offered: readonly Role[];
  allLocations: readonly Location[];
  onRoles: (roles: Role[]) => void;
  onLocations: (locations: string[]) => void;
  roleErrors: readonly string[];
  locationErrors: readonly string[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const toggle = <T,>(list: readonly T[], value: T, on: boolean): T[] =>
    on ? [...list.filter((item) => item !== value), value] : list.filter((item) => item !== value);
  return (
    <>
      <fieldset className="choices" aria-describedby={roleErrors.length > 0 ? `${id}-roles-error` : undefined}>
        <legend>{t("users.roles")}</legend>
        {/* Roles the person may not give but the user has stay listed, so a save does not drop them silently. */}
        {[...offered, ...roles.filter((role) => !offered.includes(role))].map((role) => (
          <span key={role} className="choice">
            <input
              type="checkbox"
              id={`${id}-role-${role}`}
              checked={roles.includes(role)}
              disabled={!offered.includes(role)}
              onChange={(event) => onRoles(toggle(roles, role, event.target.checked))}
            />
            <label htmlFor={`${id}-role-${role}`}>{t(`users.role.${role}`)}</label>
          </span>
        ))}
        <FieldError id={`${id}-roles-error`} messages={roleErrors} />
      </fieldset>
      <fieldset className="choices" aria-describedby={`${id}-locations-hint${locationErrors.length > 0 ? ` ${id}-locations-error` : ""}`}>
        <legend>{t("users.locations")}</legend>
        <p id={`${id}-locations-hint`} className="muted">{t("users.locationsHint")}</p>
        {allLocations.map((location) => (
          <span key={location.partnerId} className="choice">
            <input
              type="checkbox"
              id={`${id}-location-${location.partnerId}`}
              checked={locations.includes(location.partnerId)}
              onChange={(event) => onLocations(toggle(locations, location.partnerId, event.target.checked))}
            />
            <label htmlFor={`${id}-location-${location.partnerId}`}>
              {location.name} <span className="muted">({location.partnerId})</span>
            </label>
          </span>
        ))}
        <FieldError id={`${id}-locations-error`} messages={locationErrors} />
      </fieldset>
    </>
  );
}
