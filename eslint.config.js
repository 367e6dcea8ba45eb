// ESLint (flat config) with typescript-eslint, React and hooks rules; Prettier does formatting.
import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["build/**", "public/build/**", "node_modules/**", "data/**", "coverage/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18.3" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // The one importer of tweetnacl is crypto/nacl.ts (DESIGN §3).
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "tweetnacl", message: "Use crypto/ (crypto/nacl.ts owns tweetnacl)." }] },
      ],
      "no-console": ["error", { allow: ["log", "error", "warn"] }],
    },
  },
  {
    files: ["crypto/nacl.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The server logs only through app/log.server.ts (structured, scrubbed JSON lines).
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts", "db/**/*.ts"],
    rules: { "no-console": "error" },
  },
);
