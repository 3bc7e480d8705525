// Package todojwt is LoopBack's todo-jwt example on Backplane: the todo
// API of examples/todo, every route behind a JWT, with users who sign up
// and log in.
//
//	POST /signup       {"email":"ada@example.com","password":"correct horse"} -> 200 {"id":"…","email":"ada@example.com"}
//	POST /users/login  {"email":"ada@example.com","password":"correct horse"} -> 200 {"token":"…"}
//	GET  /whoAmI       Authorization: Bearer … -> 200 the caller's id, as text/plain
//	GET  /todos        Authorization: Bearer … -> 200 (401 without a token)
//
// It is examples/todo's application (todo.New) with the components of
// authentication: JWT as every route's default, the JWT strategy and
// token service, users (components/authentication/users) on the todo
// datasource, and the users package's sign-up and login routes
// (LoopBack's UserController). The todos are shared by all users, as in
// LoopBack's example.
//
// The secret is JWT_SECRET, LoopBack's "myjwts3cr3t" when unset (so a
// LoopBack front end keeps working; set your own in production), and a
// token lives jwt.expiresIn (6h, LoopBack's 21600 seconds). The todos and
// users are in todo.db (SQLite) by default, in PostgreSQL with
// DATABASE_URL, in memory with --set datasources.db.connector=memory.
package todojwt
