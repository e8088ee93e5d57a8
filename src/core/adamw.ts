// AdamW exactly as PyTorch's torch.optim.AdamW (non-amsgrad) with its defaults, over a flat float64 vector:
// decoupled weight decay p -= lr * wd * p applied to every parameter (biases too, as PyTorch's single group),
// then the bias-corrected Adam step.

export interface AdamWOptions {
  lr?: number; // 3e-3 in the spec (PyTorch's own default is 1e-3)
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export class AdamW {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number, options: AdamWOptions = {}) {
    this.lr = options.lr ?? 3e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `params` in place from `grad`. */
  step(params: Float64Array, grad: Float64Array): void {
    this.t++;
    const { lr, beta1, beta2, eps, weightDecay, m, v } = this;
    const bc1 = 1 - beta1 ** this.t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    const stepSize = lr / bc1;
    for (let i = 0; i < params.length; i++) {
      params[i] *= 1 - lr * weightDecay;
      m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
      v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
      params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + eps);
    }
  }
}
