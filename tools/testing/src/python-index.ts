import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { startHttpServer, type LocalHttpServer } from './http-server';

// A real Python package index for tests, on 127.0.0.1: wheels written at test time (a wheel is a zip archive;
// Debian's python3 has no `wheel` package to build one) and served through PEP 503's "simple" API, so pip
// resolves, downloads and checks them exactly as it does from PyPI or a private registry.

/** One wheel: its file name (PEP 427), its bytes and their sha256 (hex), as an index links it. */
export interface Wheel {
  name: string;
  version: string;
  filename: string;
  bytes: Buffer;
  sha256: string;
}

export interface WheelSpec {
  /** The distribution's name as published, e.g. molecule-ai-workspace-runtime. */
  name: string;
  version: string;
  /** Files of the wheel's root (import packages), path -> content. */
  files: Record<string, string>;
  /** `[console_scripts]` entry points: script name -> `module:function`. */
  consoleScripts?: Record<string, string>;
  /** Requires-Dist lines, e.g. "pyyaml>=6". */
  requires?: string[];
  summary?: string;
}

/** PEP 503's normalized project name: runs of -, _ and . become one -, lower case. */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of stored (uncompressed) entries with a fixed date, so the same files give the same bytes. */
export function zipArchive(entries: { path: string; data: Buffer }[]): Buffer {
  const DOS_TIME = 0;
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, entry.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, 0644
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const recordDigest = (data: Buffer) => `sha256=${createHash('sha256').update(data).digest('base64url')}`;

/**
 * A pure-Python wheel (py3-none-any) as `pip wheel` would make it: the files, then <name>-<version>.dist-info with
 * METADATA, WHEEL, entry_points.txt (when it has console scripts) and RECORD (each file's sha256 and size).
 */
export function buildWheel(spec: WheelSpec): Wheel {
  const distribution = spec.name.replace(/[-_.]+/g, '_');
  const distInfo = `${distribution}-${spec.version}.dist-info`;
  const files: { path: string; data: Buffer }[] = Object.entries(spec.files).map(([path, text]) => ({
    path,
    data: Buffer.from(text, 'utf8'),
  }));
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Summary: ${spec.summary ?? `a stand-in ${spec.name} built by a test`}`,
    ...(spec.requires ?? []).map((requirement) => `Requires-Dist: ${requirement}`),
    '',
  ].join('\n');
  files.push({ path: `${distInfo}/METADATA`, data: Buffer.from(metadata) });
  files.push({
    path: `${distInfo}/WHEEL`,
    data: Buffer.from(
      'Wheel-Version: 1.0\nGenerator: image-layers-testing\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    ),
  });
  const scripts = Object.entries(spec.consoleScripts ?? {});
  if (scripts.length > 0) {
    const text = `[console_scripts]\n${scripts.map(([script, target]) => `${script} = ${target}`).join('\n')}\n`;
    files.push({ path: `${distInfo}/entry_points.txt`, data: Buffer.from(text) });
  }
  const record = [
    ...files.map((file) => `${file.path},${recordDigest(file.data)},${file.data.length}`),
    `${distInfo}/RECORD,,`,
    '',
  ].join('\n');
  files.push({ path: `${distInfo}/RECORD`, data: Buffer.from(record) });
  const bytes = zipArchive(files);
  return {
    name: spec.name,
    version: spec.version,
    filename: `${distribution}-${spec.version}-py3-none-any.whl`,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * A wheel someone else built, read from its file (Debian's python3-pip-whl ships pip's own in /usr/share/python-wheels):
 * its name and version from the file name (PEP 427), as an index serves it.
 */
export function wheelFromFile(path: string): Wheel {
  const filename = basename(path);
  const parts = /^([^-]+)-([^-]+)-.+\.whl$/.exec(filename);
  if (!parts) throw new Error(`${path} is not named as a wheel is (<name>-<version>-<tags>.whl, PEP 427)`);
  const bytes = readFileSync(path);
  return {
    name: parts[1]!,
    version: parts[2]!,
    filename,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * A PEP 503 index server: several indexes, each a path with its own files, so that the requests say which index
 * each download came from, and two indexes can serve different bytes under one file name (a planted namesake).
 */
export interface PythonIndex {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The base URL of one index, for pip's --index-url: `${url}/<index>/simple/`. */
  indexUrl(index: string): string;
  /** Makes a wheel downloadable from `index` (at /files/<index>/<file>) and lists it on its project's page there. */
  publish(index: string, wheel: Wheel): void;
  /** Every request received, in order (method and path). */
  requests: LocalHttpServer['requests'];
  close(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Starts a real HTTP server on 127.0.0.1 serving PEP 503 indexes: /<index>/simple/ lists the projects,
 * /<index>/simple/<normalized-name>/ links each published wheel with its #sha256= fragment (pip checks the
 * download against it), /files/<index>/<file> serves the wheel. An unknown project is a 404, as on PyPI.
 */
export async function startPythonIndex(): Promise<PythonIndex> {
  const indexes = new Map<string, Map<string, Wheel[]>>();
  /** `<index>/<file name>` -> wheel. */
  const files = new Map<string, Wheel>();
  let base = '';
  const html = (title: string, links: string[]) =>
    `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>${escapeHtml(title)}</title></head><body>\n${links.join('<br>\n')}\n</body></html>\n`;
  const server = await startHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://index').pathname;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const file = /^\/files\/([^/]+\/[^/]+)$/.exec(path);
    const served = file ? files.get(decodeURIComponent(file[1]!)) : undefined;
    if (served) return send(200, 'application/octet-stream', served.bytes);
    const page = /^\/([^/]+)\/simple\/(?:([^/]+)\/)?$/.exec(path);
    const projects = page ? indexes.get(page[1]!) : undefined;
    if (page && projects && !page[2]) {
      const links = [...projects.keys()].sort().map((name) => `<a href="${name}/">${name}</a>`);
      return send(200, 'text/html; charset=utf-8', html('Simple index', links));
    }
    const wheels = page?.[2] ? projects?.get(page[2]) : undefined;
    if (wheels) {
      const links = wheels.map(
        (wheel) =>
          `<a href="${base}/files/${encodeURIComponent(page![1]!)}/${encodeURIComponent(wheel.filename)}#sha256=${wheel.sha256}">${escapeHtml(wheel.filename)}</a>`,
      );
      return send(200, 'text/html; charset=utf-8', html(`Links for ${page![2]}`, links));
    }
    send(404, 'text/plain', 'not found\n');
  });
  base = server.url;
  return {
    url: server.url,
    indexUrl: (index) => `${server.url}/${index}/simple/`,
    publish: (index, wheel) => {
      const projects = indexes.get(index) ?? new Map<string, Wheel[]>();
      indexes.set(index, projects);
      const project = normalizeProjectName(wheel.name);
      // One file name once an index, as on PyPI: a second upload under a published name is refused there.
      if (files.has(`${index}/${wheel.filename}`))
        throw new Error(`${wheel.filename} is already published on the index "${index}"`);
      projects.set(project, [...(projects.get(project) ?? []), wheel]);
      files.set(`${index}/${wheel.filename}`, wheel);
    },
    requests: server.requests,
    close: server.close,
  };
}
