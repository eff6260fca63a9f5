import { z } from 'zod';

// Imported first by main.tsx, before any schema exists: zod would otherwise probe for eval
// (new Function) to compile its parsers, which the server's CSP forbids — the browser reports a
// violation on every page. The interpreted parsers are fast enough for the forms of this app.
z.config({ jitless: true });
