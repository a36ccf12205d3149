import fs from "node:fs";
import path from "node:path";

/** The repository root (the folder holding package.json), from source or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("package.json not found above " + __dirname);
    dir = parent;
  }
  return dir;
}

export const migrationsDirectory = (): string => path.join(projectRoot(), "knex", "migrations");
