/**
 * The CI part of a run as steps: checkout -> install -> build -> test -> package. Builds and
 * suites are skipped when a change does not reach them and reused when their key already passed.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageConfig } from '../config/schema.js';
import { parseDuration } from '../config/units.js';
import { toArgv } from '../exec/argv.js';
import { runProcess } from '../exec/process.js';
import type { Redactor } from '../exec/redact.js';
import { parseJUnit, type TestCase } from '../reports/junit.js';
import { type Artifact, buildArtifact } from '../workspace/artifact.js';
import { sha256 } from '../workspace/cache-key.js';
import type { PackageGraph } from '../workspace/graph.js';
import { TreeCache } from '../workspace/tree-cache.js';
import type { StageName, Step, StepContext, StepOutcome } from './step.js';

/** What the steps report back beyond their outcome: test cases, artifacts, cache hits. */
export interface StepSink {
  testCases(step: Step, pkg: string, cases: TestCase[]): Promise<void>;
  /** Test cases of an earlier run, shown again for a suite reused from the cache. */
  reuseTestCases(step: Step, pkg: string, fromRun: number): Promise<void>;
  artifact(step: Step, artifact: Artifact): Promise<void>;
  remember(key: string, kind: 'build' | 'test', pkg: string): Promise<void>;
  recall(key: string, kind: 'build' | 'test'): Promise<number | undefined>;
}

export interface CiPlanInput {
  repo: string;
  sha: string;
  /** Folder of the fresh checkout. */
  workspace: string;
  /** Where waggle.yml sits inside the repository ('' at the root): package paths start there. */
  configDir: string;
  home: string;
  packages: Readonly<Record<string, PackageConfig>>;
  graph: PackageGraph;
  keys: ReadonlyMap<string, string>;
  /** Packages whose build and suite a change reaches. */
  affected: ReadonlySet<string>;
  /** Packages that must have build outputs: the affected ones and what they depend on. */
  needed: ReadonlySet<string>;
  until: StageName;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  sink: StepSink;
}

export function planCiSteps(input: CiPlanInput): Step[] {
  const stages = ['checkout', 'install', 'build', 'test', 'package'] as const;
  const include = (stage: StageName) =>
    stages.indexOf(stage as (typeof stages)[number]) <=
    stages.indexOf(input.until as (typeof stages)[number]);
  const root = join(input.workspace, input.configDir);
  const builds = new TreeCache(join(input.home, 'cache', 'builds'));
  const steps: Step[] = [];
  const run = (context: StepContext, argv: string[], cwd: string, timeoutMs?: number) =>
    runProcess(argv, {
      cwd,
      env: input.env,
      timeoutMs,
      signal: context.signal,
      redactor: input.redactor,
      onLine: (line, stream) => context.log(line, stream),
    }).then((result) => {
      if (result.outcome === 'timeout') context.log(`timed out after ${timeoutMs} ms: killed`, 'stderr');
      if (result.outcome === 'spawn') context.log(result.stderr.trim(), 'stderr');
      return result;
    });

  steps.push({
    key: 'checkout',
    stage: 'checkout',
    name: 'checkout',
    needs: [],
    async run(context) {
      rmSync(input.workspace, { recursive: true, force: true });
      // --local clones hard-link git's objects: a fresh, isolated tree in well under a second.
      const clone = await run(
        context,
        ['git', 'clone', '--quiet', '--no-checkout', '--', input.repo, input.workspace],
        input.home,
      );
      if (clone.exitCode !== 0)
        return { status: 'failed', exitCode: clone.exitCode, detail: 'git clone failed' };
      const checkout = await run(
        context,
        ['git', 'checkout', '--quiet', '--detach', input.sha],
        input.workspace,
      );
      if (checkout.exitCode !== 0)
        return { status: 'failed', exitCode: checkout.exitCode, detail: 'git checkout failed' };
      context.log(`checked out ${input.sha}`);
      return { status: 'passed', detail: input.sha.slice(0, 12) };
    },
  });
  if (!include('install')) return steps;

  steps.push({
    key: 'install',
    stage: 'install',
    name: 'npm ci',
    needs: ['checkout'],
    async run(context) {
      const lockfile = join(root, 'package-lock.json');
      if (!existsSync(lockfile)) {
        context.log(
          'no package-lock.json: npm ci needs one (run "npm install" and commit the lockfile)',
          'stderr',
        );
        return { status: 'failed', detail: 'no package-lock.json' };
      }
      const key = sha256(
        `${readFileSync(lockfile, 'utf8')}\n${process.version}\n${process.platform}-${process.arch}`,
      );
      const modules = new TreeCache(join(input.home, 'cache', 'node_modules'));
      const folders = [
        'node_modules',
        ...Object.values(input.packages).map((pkg) => join(pkg.path, 'node_modules')),
      ];
      if (await modules.restore(key, root, { link: true })) {
        context.log(`node_modules restored for lockfile ${key.slice(0, 12)}`);
        return { status: 'cached', detail: `lockfile ${key.slice(0, 12)}` };
      }
      const result = await run(context, ['npm', 'ci', '--no-audit', '--no-fund'], root, 20 * 60_000);
      if (result.exitCode !== 0)
        return { status: 'failed', exitCode: result.exitCode, detail: 'npm ci failed' };
      await modules.save(key, root, folders, { link: true });
      return { status: 'passed' };
    },
  });
  if (!include('build')) return steps;

  for (const [name, pkg] of Object.entries(input.packages)) {
    const key = input.keys.get(name) as string;
    const dir = join(root, pkg.path);
    steps.push({
      key: `build:${name}`,
      stage: 'build',
      name: `build ${name}`,
      package: name,
      cacheKey: key,
      needs: ['install', ...(input.graph.get(name) ?? []).map((dep) => `build:${dep}`)],
      async run(context): Promise<StepOutcome> {
        if (!input.needed.has(name)) return { status: 'skipped', detail: 'not affected' };
        if (pkg.build === false) return { status: 'skipped', detail: 'no build' };
        const fromRun = await input.sink.recall(key, 'build');
        if (fromRun !== undefined && (await builds.restore(key, dir, { link: false }))) {
          context.log(`outputs restored from run ${fromRun}`);
          return { status: 'cached', detail: `from run ${fromRun}` };
        }
        const result = await run(context, toArgv(pkg.build), dir, 30 * 60_000);
        if (result.exitCode !== 0)
          return {
            status: 'failed',
            exitCode: result.exitCode,
            detail: describeExit(result.outcome, result.exitCode),
          };
        await builds.save(key, dir, pkg.outputs, { link: false });
        await input.sink.remember(key, 'build', name);
        return { status: 'passed', exitCode: 0 };
      },
    });
  }
  if (!include('test')) return steps;

  for (const [name, pkg] of Object.entries(input.packages)) {
    const key = input.keys.get(name) as string;
    const dir = join(root, pkg.path);
    steps.push({
      key: `test:${name}`,
      stage: 'test',
      name: `test ${name}`,
      package: name,
      cacheKey: key,
      needs: [`build:${name}`],
      async run(context): Promise<StepOutcome> {
        if (!input.affected.has(name)) return { status: 'skipped', detail: 'not affected' };
        if (pkg.test === false) return { status: 'skipped', detail: 'no tests' };
        const fromRun = await input.sink.recall(key, 'test');
        if (fromRun !== undefined) {
          await input.sink.reuseTestCases(this, name, fromRun);
          context.log(`passed before with the same inputs in run ${fromRun}`);
          return { status: 'cached', detail: `from run ${fromRun}` };
        }
        const junit = join(dir, pkg.test.junit);
        rmSync(junit, { force: true });
        const started = Date.now();
        const result = await run(context, toArgv(pkg.test.run), dir, parseDuration(pkg.test.timeout));
        const cases =
          existsSync(junit) && statSync(junit).mtimeMs >= started - 1000
            ? parseJUnit(readFileSync(junit, 'utf8'))
            : [];
        const redacted = cases.map((c) => ({
          ...c,
          message: c.message === null ? null : input.redactor.redact(c.message),
        }));
        await input.sink.testCases(this, name, redacted);
        const failed = redacted.filter((c) => c.status === 'failed').length;
        if (result.exitCode !== 0 || failed > 0) {
          const detail =
            failed > 0
              ? `${failed} test${failed === 1 ? '' : 's'} failed`
              : describeExit(result.outcome, result.exitCode);
          return { status: 'failed', exitCode: result.exitCode, detail };
        }
        await input.sink.remember(key, 'test', name);
        return { status: 'passed', exitCode: 0, detail: `${redacted.length} tests` };
      },
    });
  }
  if (!include('package')) return steps;

  const artifactsDir = join(input.home, 'artifacts');
  for (const [name, pkg] of Object.entries(input.packages)) {
    if (!pkg.service && !pkg.site) continue;
    const key = input.keys.get(name) as string;
    steps.push({
      key: `package:${name}`,
      stage: 'package',
      name: `package ${name}`,
      package: name,
      cacheKey: key,
      needs: [`build:${name}`, `test:${name}`],
      async run(context): Promise<StepOutcome> {
        const existing = await findArtifact(artifactsDir, name, key);
        if (existing) {
          await input.sink.artifact(this, existing);
          context.log(`same inputs as ${existing.file}: reused`);
          return { status: 'cached', detail: existing.sha256.slice(0, 12) };
        }
        if (!input.needed.has(name)) return { status: 'skipped', detail: 'not affected' };
        const artifact = await buildArtifact({
          name,
          pkg,
          workspace: root,
          commit: input.sha,
          cacheKey: key,
          outDir: artifactsDir,
        });
        context.log(
          `${artifact.file} sha256 ${artifact.sha256} (${artifact.manifest.files.length} files, ${artifact.size} bytes)`,
        );
        await input.sink.artifact(this, artifact);
        return { status: 'passed', detail: artifact.sha256.slice(0, 12) };
      },
    });
  }
  return steps;
}

async function findArtifact(dir: string, name: string, key: string): Promise<Artifact | undefined> {
  const file = join(dir, `${name}-${key.slice(0, 12)}.tgz`);
  const manifestFile = `${file}.manifest.json`;
  if (!existsSync(file) || !existsSync(`${file}.sha256`) || !existsSync(manifestFile)) return undefined;
  const sha = readFileSync(`${file}.sha256`, 'utf8').split(/\s+/)[0] as string;
  return {
    package: name,
    file,
    sha256: sha,
    size: statSync(file).size,
    manifest: JSON.parse(readFileSync(manifestFile, 'utf8')),
  };
}

function describeExit(outcome: string, exitCode: number | null): string {
  if (outcome === 'timeout') return 'timed out';
  if (outcome === 'spawn') return 'could not start';
  return `exit code ${exitCode}`;
}
