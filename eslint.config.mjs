import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "data/",
      "uploads/",
      "reports/",
      "public/build/",
      "client/dist/",
      "client/src/generated/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-control-regex": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { exports: "writable" } },
  },
  {
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The browser client.
    files: ["web/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The realtime core reaches transports only through the sessions they hand it.
    files: ["lib/realtime/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["**/sockets/**"] }],
    },
  },
  {
    files: ["routes/**/*.ts", "sockets/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: ["knex", "ioredis", "nats", "pg"] }],
    },
  },
  {
    // Services take repositories and opaque handles (lib/store/handles.ts), never a driver.
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: ["knex", "pg", "ioredis", "nats"] }],
    },
  },
);
