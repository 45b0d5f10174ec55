/**
 * What `waggle init` finds in a repository, shaped as waggle.yml will hold it, and the state the
 * detectors share while they look.
 */
import type { Invocation, ReadFile } from '../junit/types.js';

export type Argv = string[];
/** Where a node is in waggle.yml: ['packages', 'app', 'test', 1]. */
export type YamlPath = (string | number)[];

export interface DetectedSuite {
  name?: string;
  run: Argv;
  junit: string;
  services?: string[];
  inputs?: string[];
}

export interface DetectedPackage {
  path: string;
  build?: Argv | false;
  outputs?: string[];
  service?: { port: number; start?: Argv };
  site?: { dist: string };
  test?: DetectedSuite | DetectedSuite[] | false;
  env?: Record<string, string>;
}

export interface DetectedService {
  run: Argv;
  ready: { tcp: number };
  env: Record<string, string>;
}

export interface Detection {
  name: string;
  packages: Record<string, DetectedPackage>;
  services: Record<string, DetectedService>;
  /** End-to-end projects found: folders for environments.<name>.e2e, left as a TODO. */
  e2e: { path: string; tool: 'playwright' | 'cypress' }[];
  /** Comments for the written YAML, each placed before the node at its path. */
  notes: { at: YamlPath; lines: string[] }[];
}

/** What the detectors share: the repository, its reader, what is found so far, the next free port. */
export interface Context {
  root: string;
  read: ReadFile;
  detection: Detection;
  port: number;
}

/** A runner a package's scripts start, becoming one suite. */
export interface Found {
  invocation: Invocation;
  /** The folder of the package the suite tests (client, server), when it is one. */
  area?: string;
  /** Whether the command must be narrowed to `area` (a shared Jest or Vitest config). */
  narrow?: boolean;
}

/** Variables a suite needs, each with the comment that says why in waggle.yml. */
export type SuiteEnv = Record<string, { value: string; lines?: string[] }>;
