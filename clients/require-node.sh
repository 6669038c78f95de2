#!/bin/sh
# Run by the build (clients/pom.xml and portal/pom.xml, phase initialize) before their npm steps: fails with a clear
# message when Node.js or npm is missing or too old, instead of exec-maven-plugin's "Cannot run program npm".
fail() {
  echo "[node] $1" >&2
  echo "[node] The TypeScript client (clients/typescript) and the portal (portal/) are built with Node.js >= 20.19 and" >&2
  echo "[node] npm on the PATH. Install Node.js 20.19 or later (Debian 12's own nodejs is 18: too old) with npm." >&2
  exit 1
}
command -v node >/dev/null 2>&1 || fail "node was not found on the PATH."
command -v npm >/dev/null 2>&1 || fail "npm was not found on the PATH."
node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);
' || fail "Node.js $(node --version) is too old."
echo "[node] node $(node --version), npm $(npm --version)"
