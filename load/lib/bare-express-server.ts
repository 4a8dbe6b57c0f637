// The yardstick of `npm run bench:cache`: a bare Express endpoint answering a fixed JSON document as large
// as a cached summary, with nothing else in the request path. Run as its own process, like the server.
import express from 'express';

const body = JSON.parse(process.env.BARE_BODY ?? '{}') as unknown;
const app = express();
app.get('/json', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
