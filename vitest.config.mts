import { defineConfig } from 'vitest/config';

// One config for every project: Nx runs vitest per project with --dir <project root>.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // .image-test holds the image tests' Debian root filesystem (with /proc mounted while it is made).
    exclude: ['**/node_modules/**', '**/dist/**', '.nx/**', '.image-test/**'],
    // Script tests start real servers and processes; a slow CI core must not turn them red.
    testTimeout: 60_000,
    // A test that asserts nothing passes whatever the code does: each test must call expect at least once.
    expect: { requireAssertions: true },
    hookTimeout: 60_000,
  },
});
