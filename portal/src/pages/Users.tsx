import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api";
import ProblemMessage from "../components/ProblemMessage";
import { can, type Me } from "../session";
import CreateUserForm from "./users/CreateUserForm";
import OneTimePassword, { type Issued } from "./users/OneTimePassword";
import { assignableRoles, managesUsers } from "./users/shared";
import UserRow from "./users/UserRow";

const PAGE_SIZE = 20;

/** The organization's users: who they are, their roles, locations, status and language, and the changes allowed. */
export default function Users({ me }: { me: Me }) {
  const { t } = useTranslation();
  const orgId = me.organizationId;
  const reads = can(me, "users:manage") || can(me, "incentive-users:manage") || can(me, "roles:assign-incentive");
  const allowed = orgId !== undefined && reads;
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<Issued>();
  const users = useQuery({
    queryKey: ["users", orgId, page],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/users", {
      params: { path: { orgId: orgId! }, query: { page, size: PAGE_SIZE, sort: "email,asc" } },
    })),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });
  const locations = useQuery({
    queryKey: ["locations", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/locations", {
      params: { path: { orgId: orgId! }, query: { page: 0, size: 100 } },
    })),
    enabled: allowed && can(me, "organization:read"),
  });
  if (!allowed) {
    return <p>{t("common.notForYou")}</p>;
  }
  const allLocations = locations.data?.items ?? [];
  const items = users.data?.items ?? [];
  const totalPages = Math.max(1, Number(users.data?.totalPages ?? 1));
  return (
    <>
      <h1>{t("users.title")}</h1>
      {issued && <OneTimePassword issued={issued} onDismiss={() => setIssued(undefined)} />}
      {managesUsers(me) && !creating && (
        <p><button type="button" className="primary" onClick={() => setCreating(true)}>{t("users.create.open")}</button></p>
      )}
      {managesUsers(me) && creating && (
        <CreateUserForm
          orgId={orgId}
          offered={assignableRoles(me)}
          allLocations={allLocations}
          onCreated={(created) => { setCreating(false); setIssued(created); }}
          onCancel={() => setCreating(false)}
        />
      )}
      {locations.isError && <ProblemMessage error={locations.error} />}
      {users.isPending && <p role="status">{t("common.loading")}</p>}
      {users.isError && <ProblemMessage error={users.error} />}
      {users.isSuccess && items.length === 0 && <p>{t("users.none")}</p>}
      {items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("users.title")}>
          <table className="users">
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("users.email")}</th>
                <th scope="col">{t("users.roles")}</th>
                <th scope="col">{t("users.locations")}</th>
                <th scope="col">{t("users.statusHeading")}</th>
                <th scope="col">{t("users.language")}</th>
                <th scope="col"><span className="visually-hidden">{t("users.actionsHeading")}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <UserRow key={user.id} me={me} orgId={orgId} user={user} allLocations={allLocations} onPassword={setIssued} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {totalPages > 1 && (
        <nav className="toolbar pager" aria-label={t("users.pages")}>
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>{t("users.previous")}</button>
          <span>{t("users.page", { page: page + 1, total: totalPages })}</span>
          <button type="button" disabled={page + 1 >= totalPages} onClick={() => setPage(page + 1)}>{t("users.next")}</button>
        </nav>
      )}
    </>
  );
}
