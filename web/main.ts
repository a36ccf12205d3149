import { Controller } from "./controller";

/** Entry point of the built-in web client (bundled to public/build/app.js). */
function boot(): void {
  const app = new Controller();
  void app.start();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
