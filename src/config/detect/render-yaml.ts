/**
 * The detection written as waggle.yml: argv lists on one line, each note as a comment before the
 * node it is about, and what init cannot know (contacts, environments) as a commented example.
 */
import { Document, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { Detection, YamlPath } from './types.js';

/** The detection as waggle.yml text, with its notes and TODOs as comments. */
export function renderConfig(detection: Detection, branch: string): string {
  const config: Record<string, unknown> = {
    name: detection.name,
    trigger: { branches: [branch] },
    packages: detection.packages,
  };
  if (Object.keys(detection.services).length > 0) config.services = detection.services;
  const doc = new Document(config);
  flowLists(doc.contents as YamlNode);
  for (const { at, lines } of detection.notes) comment(doc, at, lines);
  doc.commentBefore = [
    ' Written by "waggle init" from what the repository says: check it, fill in the TODOs, then',
    ' run "waggle validate". Every option: "waggle schema", or the waggle.yml reference in the README.',
  ].join('\n');
  doc.comment = footer(detection)
    .map((line) => ` ${line}`)
    .join('\n');
  return doc.toString({ flowCollectionPadding: true, lineWidth: 0 });
}

/** The example closing the file: contacts and environments, which init cannot know. */
function footer(detection: Detection): string[] {
  const e2e = detection.e2e[0];
  return [
    'TODO contacts: who hears about runs and releases, e.g.',
    'contacts:',
    '  - { name: team, email: team@example.com, on: [run.failed, approval.requested] }',
    '',
    'TODO environments: where releases go (waggle cannot know your servers), e.g.',
    'environments:',
    '  staging:',
    '    hosts: [{ name: staging-1, address: "${{ vars.STAGING_IP }}", roles: [web, api, db] }]',
    '    url: https://staging.example.com',
    ...(e2e
      ? [
          `    e2e: { path: ${e2e.path} }   # the ${e2e.tool === 'cypress' ? 'Cypress' : 'Playwright'} project found in ${e2e.path}`,
          ...(e2e.tool === 'cypress'
            ? ["    # (waggle's e2e step runs Playwright projects; Cypress needs a Playwright port)"]
            : []),
        ]
      : []),
    '  production:',
    '    after: staging',
    '    approval: { approvers: [your-github-login] }',
    '    hosts: [{ name: web-1, address: "${{ vars.WEB_IP }}", roles: [web] }]',
  ];
}

/** Argv lists and small maps on one line each: `run: [ npx, jest, --ci ]`. */
function flowLists(node: YamlNode | null | undefined, key?: unknown): void {
  if (isSeq(node)) {
    if (key !== 'branches' && node.items.every((item) => !isMap(item) && !isSeq(item))) node.flow = true;
    for (const item of node.items) flowLists(item as YamlNode);
  } else if (isMap(node)) {
    if (key === 'ready') node.flow = true;
    for (const pair of node.items) flowLists(pair.value as YamlNode, (pair.key as { value?: unknown }).value);
  }
}

/** `lines` as a comment before the node at `at`: a map's key, or a list's item. */
function comment(doc: Document, at: YamlPath, lines: string[]): void {
  const parent = doc.getIn(at.slice(0, -1), true);
  const last = at.at(-1);
  let target: YamlNode | undefined;
  if (isSeq(parent) && typeof last === 'number') target = parent.items[last] as YamlNode;
  else if (isMap(parent))
    target = parent.items.find((pair) => (pair.key as { value?: unknown }).value === last)?.key as YamlNode;
  if (!target) return;
  const text = lines.map((line) => ` ${line}`).join('\n');
  target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${text}` : text;
}
