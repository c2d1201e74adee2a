// The ceiling a webhook is compared with: a bare Fastify route in a process of its own, as the
// server is, so that both are measured the same way.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serveBenchProcess } from './bench-process.js';

const app = Fastify();
app.post('/hello', async () => 'hello');

const handlers = {
  /** Answers the route's URL. */
  async listen() {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/hello`;
  },
  close: () => app.close(),
};

export type BareFastify = typeof handlers;

serveBenchProcess(handlers);
