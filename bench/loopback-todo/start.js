// Starts LoopBack 4's todo example (@loopback/example-todo@6.0.0) on
// 127.0.0.1:$PORT, as the example's own `require.main === module` block
// does but on a chosen host and port. The example's "db" datasource is
// the memory connector persisted to ./data/db.json relative to the working
// directory, so run it from a directory that holds data/ (empty for an
// empty database). Used by bench/loopback-todo.sh and bench/todo.sh.
const {main} = require('@loopback/example-todo');
const port = +(process.env.PORT || 3000);
main({
  rest: {
    port,
    host: '127.0.0.1',
    gracePeriodForClose: 5000,
    openApiSpec: {setServersFromRequest: true},
  },
}).catch(err => {
  console.error('Cannot start the application.', err);
  process.exit(1);
});
