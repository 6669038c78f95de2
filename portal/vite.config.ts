import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The build goes where Maven packages it (portal/target/classes/portal, in this module's jar), and the gateway serves
// it at / (gateway: web/PortalRoutes). Hashed file names under assets/ let the gateway cache those for a year.
// `npm run dev` serves the portal with hot reload and sends the API to a gateway (GATEWAY, default the local run's
// http://localhost:8080); sign in on the gateway itself: its session cookie belongs to the host, whatever the port.
const gateway = process.env.GATEWAY ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "target/classes/portal",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline script or style may be emitted: the gateway's Content-Security-Policy allows only files of 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      "/api": gateway,
      "/session": gateway,
    },
  },
});
