// The base the tests that run pip for real build on: the image-test base (Debian's python3) without Debian's
// EXTERNALLY-MANAGED marker, which makes its pip refuse to install as root. python:3.11-slim's Python, built into
// /usr/local, carries no such marker, so without it the local base behaves as the real one does here. Its
// setuptools and wheel are pip's own, which an upgrade replaces; Debian's python3-wheel (pulled in by python3-pip) has
// no RECORD file, so pip cannot uninstall it. Its metadata folder is removed, so pip sees no wheel and the upgrade
// installs one into /usr/local, ahead on sys.path, as on the real base (dpkg and apt stay consistent: the package is
// still installed, so later apt steps run). Debian's pip itself stays (it runs the build).

/** The engine's docker CLI, as @image-layers/image-test's DockerEngine gives it (the helpers do not import it). */
type Docker = (
  args: string[],
  options: { input: string; timeoutMs: number },
) => Promise<{ exitCode: number; stderr: string }>;

/** Builds (or finds in the build cache) the local base without the marker, tagged after it, and gives its tag. */
export async function pipBase(docker: Docker, baseImage: string): Promise<string> {
  const tag = `image-layers-test/pip-base:${baseImage.split(':')[1]}`;
  const dockerfile = [
    `FROM ${baseImage}`,
    'RUN rm -rf /usr/lib/python3*/EXTERNALLY-MANAGED /usr/lib/python3/dist-packages/wheel-*.dist-info \\',
    '    /usr/lib/python3/dist-packages/setuptools-*.dist-info',
    '',
  ].join('\n');
  const built = await docker(['build', '--network', 'none', '--tag', tag, '-'], {
    input: dockerfile,
    timeoutMs: 300_000,
  });
  if (built.exitCode !== 0) throw new Error(`building ${tag} failed: ${built.stderr.trim()}`);
  return tag;
}
