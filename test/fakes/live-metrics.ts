import type { DeploymentLiveFigures, LiveMetrics } from '../../src/core/ports';

type Figures = Omit<DeploymentLiveFigures, 'deployment'>;

/**
 * Live figures per deployment, as the LiveMetrics port returns them: one entry per deployment
 * asked for, figures null where the test set none. Records every window asked for.
 */
export class FakeLiveMetrics implements LiveMetrics {
  figures = new Map<string, Figures>();
  calls: { env: string; endpoint: string; from: string; to: string; deployments: string[] }[] = [];
  failNext: Error[] = [];

  set(deployment: string, f: Partial<Figures>): void {
    this.figures.set(deployment, { requests: null, errors5xx: null, latencyP95Ms: null, ...f });
  }

  async deploymentFigures(env: string, endpoint: string, window: { from: Date; to: Date }, deployments: string[]): Promise<DeploymentLiveFigures[]> {
    this.calls.push({ env, endpoint, from: window.from.toISOString(), to: window.to.toISOString(), deployments });
    const failure = this.failNext.shift();
    if (failure) throw failure;
    return deployments.map((d) => ({ deployment: d, ...(this.figures.get(d) ?? { requests: null, errors5xx: null, latencyP95Ms: null }) }));
  }
}
