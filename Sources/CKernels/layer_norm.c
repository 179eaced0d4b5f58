// Layer normalisation over rows (CKernels.h; the formulas are in NeuralEngine's `LayerNorm`).
#include "lanes.h"
#include <math.h>

INLINE void layer_norm_body(const float *x, size_t rows, size_t d, float epsilon,
                                   const float *gamma, const float *beta,
                                   float *normalized, float *reciprocal, float *y) {
    for (size_t row = 0; row < rows; row++) {
        const float *xr = x + row * d;
        float *h = normalized + row * d, *yr = y + row * d;
        f8 acc = 0;
        size_t j = 0;
        for (; j + LANES <= d; j += LANES) acc += load8(xr + j);
        float sum = lane_sum(acc);
        for (; j < d; j++) sum += xr[j];
        const float mean = sum / (float)d;
        acc = 0;
        for (j = 0; j + LANES <= d; j += LANES) { f8 c = load8(xr + j) - mean; acc += c * c; }
        float variance = lane_sum(acc);
        for (; j < d; j++) { float c = xr[j] - mean; variance += c * c; }
        const float r = 1.0f / sqrtf(variance / (float)d + epsilon);
        reciprocal[row] = r;
        for (j = 0; j + LANES <= d; j += LANES) {
            f8 xh = (load8(xr + j) - mean) * r;
            store8(h + j, xh);
            store8(yr + j, load8(gamma + j) * xh + load8(beta + j));
        }
        for (; j < d; j++) { float xh = (xr[j] - mean) * r; h[j] = xh; yr[j] = gamma[j] * xh + beta[j]; }
    }
}
TWO_BUILDS(layer_norm, (const float *x, size_t rows, size_t d, float epsilon, const float *gamma,
                        const float *beta, float *normalized, float *reciprocal, float *y),
           (x, rows, d, epsilon, gamma, beta, normalized, reciprocal, y))

INLINE void layer_norm_backward_body(const float *dy, const float *normalized,
                                            const float *reciprocal, size_t rows, size_t d,
                                            const float *gamma, float *gamma_gradient,
                                            float *beta_gradient, const float *add, float *dx) {
    for (size_t row = 0; row < rows; row++) {
        const float *g = dy + row * d, *h = normalized + row * d;
        f8 sum_g = 0, sum_gh = 0;
        size_t j = 0;
        for (; j + LANES <= d; j += LANES) {
            f8 gy = load8(g + j), xh = load8(h + j);
            store8(gamma_gradient + j, load8(gamma_gradient + j) + gy * xh);
            store8(beta_gradient + j, load8(beta_gradient + j) + gy);
            f8 gj = gy * load8(gamma + j);
            sum_g += gj;
            sum_gh += gj * xh;
        }
        float mean_g = lane_sum(sum_g), mean_gh = lane_sum(sum_gh);
        for (; j < d; j++) {
            gamma_gradient[j] += g[j] * h[j];
            beta_gradient[j] += g[j];
            float gj = g[j] * gamma[j];
            mean_g += gj;
            mean_gh += gj * h[j];
        }
        if (!dx) continue;
        mean_g /= (float)d;
        mean_gh /= (float)d;
        const float r = reciprocal[row];
        float *out = dx + row * d;
        const float *base = add ? add + row * d : NULL;
        for (j = 0; j + LANES <= d; j += LANES) {
            f8 v = r * (load8(g + j) * load8(gamma + j) - mean_g - load8(h + j) * mean_gh);
            store8(out + j, base ? load8(base + j) + v : v);
        }
        for (; j < d; j++) {
            float v = r * (g[j] * gamma[j] - mean_g - h[j] * mean_gh);
            out[j] = base ? base[j] + v : v;
        }
    }
}
TWO_BUILDS(layer_norm_backward,
           (const float *dy, const float *normalized, const float *reciprocal, size_t rows, size_t d,
            const float *gamma, float *gamma_gradient, float *beta_gradient, const float *add, float *dx),
           (dy, normalized, reciprocal, rows, d, gamma, gamma_gradient, beta_gradient, add, dx))
