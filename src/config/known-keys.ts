/** The keys a strict object in the schema accepts at a given path: used to suggest the key meant. */
import type { z } from 'zod';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let frontier = unwrap([root]);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of frontier) {
      const def = defOf(schema);
      if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment])
        next.push(def.shape[segment]);
      else if (def.type === 'record' && def.valueType) next.push(def.valueType);
      else if (def.type === 'array' && def.element && typeof segment === 'number') next.push(def.element);
    }
    frontier = unwrap(next);
  }
  const keys = new Set<string>();
  for (const schema of frontier) {
    const def = defOf(schema);
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

/** Look through optional/default/union wrappers to the schemas that do the work. */
function unwrap(schemas: z.ZodType[]): z.ZodType[] {
  const out: z.ZodType[] = [];
  const pending = [...schemas];
  while (pending.length > 0) {
    const schema = pending.pop() as z.ZodType;
    const def = defOf(schema);
    if (def.innerType) pending.push(def.innerType);
    else if (def.type === 'union' && def.options) pending.push(...def.options);
    else if (def.type === 'pipe' && def.in) pending.push(def.in);
    else out.push(schema);
  }
  return out;
}
