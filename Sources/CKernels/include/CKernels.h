// Elementwise training kernels that Swift cannot compile for two instruction sets in one
// binary. Swift builds for baseline x86-64 (SSE2, four float lanes) and has no per-function
// target attribute; C does. Each kernel here is written once over eight-lane vectors and
// compiled twice: for the baseline and, with `target("avx2")`, in 256-bit registers. The CPU is
// asked once which one to run. Neither build fuses multiply-adds, so both give the same bits.
#ifndef DESCENT_CKERNELS_H
#define DESCENT_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Adam's per-update constants (see NeuralEngine's `Adam` for the formula).
typedef struct {
    float learning_rate, beta1, beta2, epsilon, correction1, correction2, decay;
} descent_adam_step;

/// One Adam/AdamW update of `count` elements, on the widest instruction set this CPU has:
///   m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g g      (|m|, |v| below FLT_MIN stored as 0)
///   w ← w − η (m c₁ / (√(v c₂) + ε) + λ w)
/// The four buffers must not overlap. Returns Σ g² (in double, eight partial sums added in lane
/// order, then the tail): the gradient norm's share, read in the same pass.
double descent_adam(float *w, const float *g, float *m, float *v, size_t count, descent_adam_step k);

/// The same update, forcing one build: `wide` 1 for AVX2 (only where `descent_has_avx2()`),
/// 0 for baseline. For tests that both builds agree bit for bit.
double descent_adam_variant(int wide, float *w, const float *g, float *m, float *v, size_t count,
                            descent_adam_step k);

/// 1 when this CPU runs AVX2 (x86-64 only; 0 elsewhere).
int descent_has_avx2(void);

/// The CPUs this process may run on (its affinity mask, as `taskset` sets it), at least 1.
int descent_available_cpus(void);

#ifdef __cplusplus
}
#endif
#endif
