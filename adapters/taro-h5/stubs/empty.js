// Stands in for a module an older release imports but never uses on the request path (and
// does not declare, so npm does not install it): bundling needs it to resolve, not to work.
module.exports = {}
