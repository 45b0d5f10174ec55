// The reference app deployed the way many Node teams do, with `pm2 deploy`: copied into the app's
// repository as ecosystem.config.js by bench/deploy.ts. On the developer's machine,
// `pm2 deploy ecosystem.config.js api|web setup` clones the repository on the server once, and
// `pm2 deploy ecosystem.config.js api|web` fetches, resets to origin/riipen and runs post-deploy
// there; on the api server post-deploy's `pm2 startOrReload` reads the apps below.
// The bench's servers have no registry access: npm installs from a cache filled beforehand.
const env = process.env;
const services = { 'ai-model': 4001, platform: 4002, billing: 4003, admin: 4004 };
const server = (address, root, postDeploy, variables = {}) => ({
  user: 'root',
  host: address,
  key: env.BENCH_SSH_KEY,
  ssh_options: ['BatchMode=yes', 'StrictHostKeyChecking=yes', `UserKnownHostsFile=${env.BENCH_KNOWN_HOSTS}`],
  ref: 'origin/riipen',
  repo: env.BENCH_REPO,
  path: `${root}/hivenue`,
  env: variables,
  'post-deploy': `npm ci --offline --cache ${env.BENCH_NPM_CACHE} --no-audit --no-fund --loglevel=error && ${postDeploy}`,
});

module.exports = {
  apps: Object.entries(services).map(([name, port]) => ({
    name,
    script: `back-end/${name}/dist/index.js`,
    env: { PORT: String(port), HOST: '0.0.0.0', MONGODB_URI: env.MONGODB_URI },
  })),
  deploy: env.BENCH_SSH_KEY
    ? {
        api: server(
          env.BENCH_API_ADDRESS,
          env.BENCH_API_ROOT,
          `npm run build ${Object.keys(services).reduce((args, name) => `${args} -w back-end/${name}`, '-w back-end/shared')} && pm2 startOrReload ecosystem.config.js --update-env`,
          { PM2_HOME: `${env.BENCH_API_ROOT}/.pm2`, MONGODB_URI: `mongodb://${env.BENCH_DB_ADDRESS}:27017` },
        ),
        web: server(
          env.BENCH_WEB_ADDRESS,
          env.BENCH_WEB_ROOT,
          `npm run build -w front-end && rm -rf ${env.BENCH_WEB_ROOT}/hivenue/site && cp -r front-end/dist/front-end/browser ${env.BENCH_WEB_ROOT}/hivenue/site`,
        ),
      }
    : {},
};
