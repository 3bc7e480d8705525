// Package ratelimit limits how fast each client may call the API: a
// token bucket per client (golang.org/x/time/rate), Rate requests per
// second on average and Burst at once, from the "rateLimit"
// configuration section. A client over its limit gets 429 in LoopBack's
// error envelope, code RATE_LIMITED, with Retry-After in seconds; every
// limited response carries RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset.
//
//	app := backplane.New("todo", config.Component(), rest.Component(), ratelimit.Component())
//
//	rateLimit:
//	  rate: 20
//	  burst: 40
//	  routes:
//	    "POST /users/login": {rate: 0.2, burst: 5}
//
// A client is its address (the connection's; X-Forwarded-For only with
// trustProxy), a header's value (key: header:X-API-Key), or what
// [WithKey] returns — the authenticated principal, say. Routes named in
// routes get a bucket of their own. Health and metrics are exempt by
// default. Nothing is limited until a rate is set, and then the
// middleware costs one map lookup under a lock per request.
//
// Buckets live in a [MemoryStore] bounded in size (least recently used
// evicted first), so a flood of distinct addresses cannot grow memory
// without end; [WithStore] replaces it with a store that several
// instances share.
package ratelimit
