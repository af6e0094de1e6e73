// The ceiling of this machine: a bare fastify server with one route answering "ok" (started by bench/run.js).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => 'ok');
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening on ${app.server.address().port}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close().then(() => process.exit(0)));
