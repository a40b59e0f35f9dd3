// An HTTP/2-only TLS server on 127.0.0.1 for the Omnistock\Push multiplexing test (Node's http2).
//
//   node push_h2_server.js CERT KEY
//
// Prints "port N" once it listens on an ephemeral port; exits when its standard input closes.
// Routes: /delay?ms=N answers 200 "h2 <httpVersion>" after N ms; /gather?n=N holds its answer
// until N streams are open at once (a barrier: the count is then exact however slow the client,
// e.g. under valgrind), or 30 s have passed; /stats answers JSON: sessions (TLS connections),
// streams (requests other than /stats), max_in_flight (streams open at once).
'use strict';
const fs = require('fs');
const http2 = require('http2');

const [cert, key] = process.argv.slice(2);
const stats = { sessions: 0, streams: 0, max_in_flight: 0 };
let inFlight = 0;
let waiting = []; // answers of /gather held until enough streams are open

const server = http2.createSecureServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key), allowHTTP1: false });
server.on('session', () => { stats.sessions++; });
server.on('request', (req, res) => {
  const url = new URL(req.url, 'https://127.0.0.1');
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  stats.streams++;
  inFlight++;
  stats.max_in_flight = Math.max(stats.max_in_flight, inFlight);
  req.resume();
  const answer = () => {
    inFlight--;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`h2 ${req.httpVersion}`);
  };
  if (url.pathname === '/gather') {
    const n = Number(url.searchParams.get('n') || 1);
    req.on('end', () => {
      waiting.push(answer);
      if (inFlight >= n) {
        const release = waiting;
        waiting = [];
        release.forEach((f) => f());
      }
    });
    setTimeout(() => { if (waiting.includes(answer)) { waiting = waiting.filter((f) => f !== answer); answer(); } }, 30000);
    return;
  }
  req.on('end', () => {
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`h2 ${req.httpVersion}`);
    }, Number(url.searchParams.get('ms') || 0));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
