import { defineConfig } from 'drizzle-kit';

// Drafts plain SQL migrations from the module schemas: `npm run db:generate -- --name <what>`.
// The app applies migrations/*.sql itself at start-up (src/server/platform/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/modules/*/*.schema.ts',
  out: './migrations',
});
