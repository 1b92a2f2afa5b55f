export { DEFAULT_BODY_LIMIT, readBody, readJson } from './body';
export { HttpError, isHttpError } from './http-error';
export {
  createMetrics, DEFAULT_BUCKETS, METRICS_CONTENT_TYPE,
  type Counter, type Gauge, type Histogram, type Labels, type Metrics,
} from './metrics';
export { Readiness, type ReadinessCheck, type ReadinessReport } from './readiness';
export { isLoopback, sendJson, sendText } from './respond';
export { ROUTES, Router, type RequestContext, type RouteHandler, type RouteMatch } from './router';
export { startHttpServer, type HttpServer, type HttpServerOptions } from './server';
