import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import { LIST_SIZE } from "../../components/FirstItemsOnly";
import { can, type Me } from "../../session";

export type TaxProfile = Schema<"TaxProfileView">;
export type BankProfile = Schema<"BankProfileView">;
export type Location = Schema<"IdentityLocation">;
export type Enrollment = Schema<"EnrollmentView">;

export const ALL = { page: 0, size: LIST_SIZE } as const;

/** The API's name of the field a problem may name, as the field's DOM id within one form. */
export function fieldId(form: string, field: string): string {
  return `${form}-${field}`;
}

/** The messages the refused call gave for this field (the API names fields by their JSON name: "accountNumber"). */
export function messages(error: unknown, field: string): readonly string[] {
  return error instanceof ApiProblem ? error.messagesFor(field) : [];
}

/**
 * One labelled field with its errors under it; the control gets aria-invalid and aria-describedby through `control`.
 */
export function Field({ form, field, label, hint, error, children }: {
  form: string;
  field: string;
  label: string;
  hint?: string;
  error: unknown;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => ReactNode;
}) {
  const id = fieldId(form, field);
  const errors = messages(error, field);
  const described = [hint ? `${id}-hint` : undefined, errors.length > 0 ? `${id}-error` : undefined]
    .filter(Boolean).join(" ") || undefined;
  return (
    <div className="profiles-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": errors.length > 0, "aria-describedby": described })}
      {hint && <span id={`${id}-hint`} className="muted">{hint}</span>}
      {errors.length > 0 && (
        <span id={`${id}-error`} className="profiles-field-error" data-testid={`field-error-${field}`}>
          {errors.join(" ")}
        </span>
      )}
    </div>
  );
}

/** The ETag of a profile's version, for If-Match: the version number in quotes. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** A 412: someone corrected the profile since it was read. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 412;
}

/** The organization's locations (for the location choices); the same query as the overview's. */
export function useLocations(me: Me) {
  const orgId = me.organizationId;
  return useQuery({
    queryKey: ["locations", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/locations", { params: { path: { orgId: orgId! }, query: ALL } })),
    enabled: orgId !== undefined && can(me, "organization:read"),
  });
}

export function useTaxProfiles(orgId: string) {
  return useQuery({
    queryKey: ["taxProfiles", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/tax-profiles", {
      params: { path: { orgId }, query: { ...ALL, sort: "createdAt,desc" } },
    })),
  });
}

export function useBankProfiles(orgId: string) {
  return useQuery({
    queryKey: ["bankProfiles", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/payment-profiles", {
      params: { path: { orgId }, query: { ...ALL, sort: "createdAt,desc" } },
    })),
  });
}

/** A location's name and partner id, or the id alone when the locations are not readable. */
export function useLocationName(me: Me): (partnerId: string | undefined) => string {
  const { t } = useTranslation();
  const locations = useLocations(me);
  return (partnerId) => {
    const location = locations.data?.items?.find((item) => item.partnerId === partnerId);
    return location ? `${location.name} (${partnerId})` : t("overview.partnerId", { id: partnerId });
  };
}

/** Moves keyboard focus to an element when it appears (a correction form opened from its row's button). */
export function useFocusOnMount<T extends HTMLElement>(enabled: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) {
      ref.current?.focus();
    }
  }, [enabled]);
  return ref;
}
