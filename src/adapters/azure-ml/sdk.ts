/**
 * @azure/arm-machinelearning, loaded on first use: loading it is a large share of a start-up, and
 * a CLI command or a server start that never reaches Azure ML should not pay for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export function mlSdk(): typeof import('@azure/arm-machinelearning') {
  return require('@azure/arm-machinelearning') as typeof import('@azure/arm-machinelearning');
}

/** @azure/core-rest-pipeline (raw ARM and MLflow requests, error types), loaded on first use as well. */
export function restPipeline(): typeof import('@azure/core-rest-pipeline') {
  return require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
}
