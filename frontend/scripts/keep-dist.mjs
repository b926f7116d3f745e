// vite build empties dist/; put back the placeholder that lets `go build`
// embed the directory on a fresh clone, before any frontend build has run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

writeFileSync(fileURLToPath(new URL('../dist/.gitkeep', import.meta.url)), '');
