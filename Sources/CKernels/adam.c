// Adam in eight-lane vectors, compiled for baseline x86-64 and for AVX2 (see CKernels.h).
#include "lanes.h"
#include <float.h>

/// Values with |x| < FLT_MIN become 0: a moment decaying into the subnormal range would cost a
/// microcode assist per operation.
INLINE f8 flush8(f8 x) {
    i8 tiny = (x < FLT_MIN) & (x > -FLT_MIN);
    return tiny ? (f8)0.0f : x;
}

INLINE float flush1(float x) { return (x < FLT_MIN && x > -FLT_MIN) ? 0.0f : x; }

INLINE double adam_body(float *restrict w, const float *restrict g, float *restrict m,
                               float *restrict v, size_t count, descent_adam_step k) {
    const float b1 = k.beta1, b2 = k.beta2, ob1 = 1 - k.beta1, ob2 = 1 - k.beta2;
    const float lr = k.learning_rate, eps = k.epsilon, c1 = k.correction1, c2 = k.correction2;
    const float decay = k.decay;
    d8 squares = 0;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        f8 gi = load8(g + i);
        d8 gd = __builtin_convertvector(gi, d8);
        squares += gd * gd;
        f8 mi = flush8(b1 * load8(m + i) + ob1 * gi);
        f8 vi = flush8(b2 * load8(v + i) + ob2 * gi * gi);
        f8 wi = load8(w + i);
        f8 mHat = mi * c1, vHat = vi * c2;
        store8(m + i, mi);
        store8(v + i, vi);
        store8(w + i, wi - lr * (mHat / (__builtin_elementwise_sqrt(vHat) + eps) + decay * wi));
    }
    double sum = 0;
    for (int lane = 0; lane < 8; lane++) sum += squares[lane];
    for (; i < count; i++) {
        sum += (double)g[i] * (double)g[i];
        float mi = flush1(b1 * m[i] + ob1 * g[i]);
        float vi = flush1(b2 * v[i] + ob2 * g[i] * g[i]);
        m[i] = mi;
        v[i] = vi;
        w[i] -= lr * (mi * c1 / (__builtin_sqrtf(vi * c2) + eps) + decay * w[i]);
    }
    return sum;
}

static double adam_baseline(float *w, const float *g, float *m, float *v, size_t count,
                            descent_adam_step k) {
    return adam_body(w, g, m, v, count, k);
}

#if defined(__x86_64__)
TARGET_WIDE
static double adam_avx2(float *w, const float *g, float *m, float *v, size_t count,
                        descent_adam_step k) {
    return adam_body(w, g, m, v, count, k);
}

int descent_has_avx2(void) {
    static int cached = -1;   // every thread computes the same value; atomics keep TSan quiet
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
}
#else
static double adam_avx2(float *w, const float *g, float *m, float *v, size_t count,
                        descent_adam_step k) {
    return adam_body(w, g, m, v, count, k);
}

int descent_has_avx2(void) { return 0; }
#endif

double descent_adam_variant(int wide, float *w, const float *g, float *m, float *v, size_t count,
                            descent_adam_step k) {
    if (wide && descent_has_avx2()) return adam_avx2(w, g, m, v, count, k);
    return adam_baseline(w, g, m, v, count, k);
}

double descent_adam(float *w, const float *g, float *m, float *v, size_t count, descent_adam_step k) {
    return descent_adam_variant(1, w, g, m, v, count, k);
}
