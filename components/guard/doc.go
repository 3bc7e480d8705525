// Package guard holds protective middleware, each a component with its
// own configuration section, mounted on the REST server's middleware
// point (group "logging", the outermost):
//
//   - [Compression]: gzip, negotiated by Accept-Encoding, skipping small
//     bodies and media that are compressed already ("compression").
//   - [SecurityHeaders]: nosniff, frame options, referrer policy, a
//     Content-Security-Policy that keeps the API explorer working, and
//     HSTS when configured ("securityHeaders").
//   - [Timeout]: a deadline per route, 504 GATEWAY_TIMEOUT in the error
//     envelope when it passes ("timeout"); [For] sets one in code.
//
// Rate limiting is components/ratelimit; CORS is the REST server's
// rest.cors section.
package guard
