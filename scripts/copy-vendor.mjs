// Copies browser libraries from node_modules into static/vendor so that the pinned
// version in package.json is exactly what the app serves. static/vendor is build output.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = [["htmx.org/dist/htmx.min.js", "htmx.min.js"]];

mkdirSync(join(root, "static/vendor"), { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(root, "node_modules", from), join(root, "static/vendor", to));
}
