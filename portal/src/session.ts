import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schema } from "./api";

export type Me = Schema<"Me">;

/** Who is signed in (identity's /me: organization, roles, the capabilities a portal may offer), or a 401. */
export function useMe() {
  return useQuery({ queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/v1/me")), staleTime: 5 * 60_000 });
}

/** Whether the person's roles allow an operation of this capability (the contract's x-capabilities). */
export function can(me: Me | undefined, capability: string): boolean {
  return me?.actions?.includes(capability) ?? false;
}

/** Whether the person operates the programmes (PROGRAM_OPERATOR: no organization; the /operations screens). */
export function isOperator(me: Me | undefined): boolean {
  return me?.roles?.includes("PROGRAM_OPERATOR") ?? false;
}
