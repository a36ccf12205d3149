import { App } from "./app";

/** Entry point of the built-in web client (bundled to public/build/app.js). */
function boot(): void {
  void new App().start();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
