import { HttpError, parseListLimit, parseObjectId, toResource } from '@hivenue/shared';
import { Router } from 'express';
import { type Db, MongoServerError, ObjectId } from 'mongodb';
import { parseNewProjectRequest } from './new-project-request';
import type { Project } from './project';

const DUPLICATE_KEY = 11000;

/** GET /projects, POST /projects and GET /projects/:id on the `projects` collection. */
export async function createProjectRoutes(db: Db): Promise<Router> {
  const projects = db.collection<Project>('projects');
  await projects.createIndex({ slug: 1 }, { unique: true });
  await projects.createIndex({ createdAt: -1 });

  const routes = Router();

  routes.get('/projects', async (req, res) => {
    const limit = parseListLimit(req.query.limit, { fallback: 50, max: 200 });
    const found = await projects.find().sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    res.json(found.map(toResource));
  });

  routes.post('/projects', async (req, res) => {
    const project: Project = { _id: new ObjectId(), ...parseNewProjectRequest(req.body), createdAt: new Date() };
    const conflict = new HttpError(409, `a project with slug "${project.slug}" already exists`);

    // The unique index is the real guard; the lookup gives the same answer on servers that
    // do not enforce unique indexes (the in-memory stand-in used in tests).
    if (await projects.findOne({ slug: project.slug }, { projection: { _id: 1 } })) throw conflict;
    try {
      await projects.insertOne(project);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw conflict;
      throw error;
    }
    // Relative, so it stays right behind the router that adds the /api/platform/ prefix.
    res.status(201).location(`projects/${project._id.toHexString()}`).json(toResource(project));
  });

  routes.get('/projects/:id', async (req, res) => {
    const project = await projects.findOne({ _id: parseObjectId(req.params.id, 'project') });
    if (!project) throw new HttpError(404, 'project not found');
    res.json(toResource(project));
  });

  return routes;
}
