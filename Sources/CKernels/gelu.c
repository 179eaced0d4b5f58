// GELU and the lane functions' array forms (CKernels.h).
#include "lane_math.h"

/// Φ(z) = ½ (1 + erf(z/√2)).
INLINE f8 normal_cdf8(f8 z) { return 0.5f * (1.0f + erf8(z * 0.70710678f)); }

INLINE void gelu_body(const float *z, float *y, float *cdf, size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) {
        f8 x = load8(z + i), phi = normal_cdf8(x);
        if (cdf) store8(cdf + i, phi);
        store8(y + i, x * phi);
    }
    if (i < count) {
        size_t n = count - i;
        f8 x = load_part(z + i, n), phi = normal_cdf8(x);
        if (cdf) store_part(cdf + i, phi, n);
        store_part(y + i, x * phi, n);
    }
}
TWO_BUILDS(gelu, (const float *z, float *y, float *cdf, size_t count), (z, y, cdf, count))

/// dz = dy ⊙ (Φ(z) + z φ(z)), φ(z) = e^(−z²/2) / √(2π).
INLINE f8 gelu_gradient8(f8 x, f8 phi, f8 g) {
    return g * (phi + x * exp8(-0.5f * x * x) * 0.39894228f);
}

INLINE void gelu_backward_body(const float *z, const float *cdf, const float *dy, float *dz,
                                      size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) {
        f8 x = load8(z + i);
        f8 phi = cdf ? load8(cdf + i) : normal_cdf8(x);
        store8(dz + i, gelu_gradient8(x, phi, load8(dy + i)));
    }
    if (i < count) {
        size_t n = count - i;
        f8 x = load_part(z + i, n);
        f8 phi = cdf ? load_part(cdf + i, n) : normal_cdf8(x);
        store_part(dz + i, gelu_gradient8(x, phi, load_part(dy + i, n)), n);
    }
}
TWO_BUILDS(gelu_backward, (const float *z, const float *cdf, const float *dy, float *dz, size_t count),
           (z, cdf, dy, dz, count))

INLINE void exp_body(const float *x, float *y, size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) store8(y + i, exp8(load8(x + i)));
    if (i < count) store_part(y + i, exp8(load_part(x + i, count - i)), count - i);
}
TWO_BUILDS(exp, (const float *x, float *y, size_t count), (x, y, count))

INLINE void erf_body(const float *x, float *y, size_t count) {
    size_t i = 0;
    for (; i + LANES <= count; i += LANES) store8(y + i, erf8(load8(x + i)));
    if (i < count) store_part(y + i, erf8(load_part(x + i, count - i)), count - i);
}
TWO_BUILDS(erf, (const float *x, float *y, size_t count), (x, y, count))
