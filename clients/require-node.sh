#!/bin/sh
# Run by the build (clients/pom.xml, phase initialize) before the TypeScript client's npm steps: fails with a clear
# message when Node.js or npm is missing or too old, instead of exec-maven-plugin's "Cannot run program npm".
fail() {
  echo "[clients] $1" >&2
  echo "[clients] The TypeScript client (clients/typescript) is built with Node.js >= 20.19 and npm on the PATH." >&2
  echo "[clients] Install Node.js 20.19 or later (Debian 12's own nodejs is 18: too old) with npm, or build without the" >&2
  echo "[clients] TypeScript client: ./mvnw ... -Dclients.typescript.skip" >&2
  exit 1
}
command -v node >/dev/null 2>&1 || fail "node was not found on the PATH."
command -v npm >/dev/null 2>&1 || fail "npm was not found on the PATH."
node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);
' || fail "Node.js $(node --version) is too old."
echo "[clients] node $(node --version), npm $(npm --version)"
