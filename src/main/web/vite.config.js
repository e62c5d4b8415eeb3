import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Built by the Maven build (exec-maven-plugin, process-resources) into the classpath folder Quarkus serves at /.
// Everything the page needs is bundled: no CDN, no fonts or scripts from anywhere else at run time.
export default defineConfig({
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../../target/classes/META-INF/resources', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
