// Training kernels that Swift cannot compile for two instruction sets in one binary (Adam,
// GELU, layer normalisation, attention's per-head loops, column sums). Swift builds for baseline x86-64
// (SSE2, four float lanes) and has no per-function target attribute; C does. Each kernel here is written once over eight-lane vectors and
// compiled twice: for the baseline and, with `target("avx2")`, in 256-bit registers. The CPU is
// asked once which one to run. Neither build fuses multiply-adds, so both give the same bits.
// Below them, what the CPU offers the process (cpu.c: its CPUs, a thread kept on one) and
// OpenBLAS's kernel settled (blas_kernel.c).
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

/// GELU's forward pass: y = z Φ(z), Φ(z) = ½ (1 + erf(z/√2)) with the lane erf below; keeps
/// Φ(z) in `cdf` unless it is NULL. `y` may be `z` (in place).
void descent_gelu(const float *z, float *y, float *cdf, size_t count);

/// GELU's backward pass: dz = dy ⊙ (Φ(z) + z φ(z)), φ(z) = e^(−z²/2)/√(2π); Φ(z) read from
/// `cdf` (what the forward pass kept) or, when it is NULL, computed again.
void descent_gelu_backward(const float *z, const float *cdf, const float *dy, float *dz, size_t count);

/// y = e^x (Cephes' polynomial, within 2 ulp on [−87, 88]) and y = erf x (Eigen's rational
/// function, within 4.2e-7), each value; `y` may be `x`.
void descent_exp(const float *x, float *y, size_t count);
void descent_erf(const float *x, float *y, size_t count);

/// Layer normalisation of `rows` rows of `d` values: writes x̂ into `normalized`, 1/√(σ²+ε)
/// per row into `reciprocal`, and y = γ ⊙ x̂ + β.
void descent_layer_norm(const float *x, size_t rows, size_t d, float epsilon, const float *gamma,
                        const float *beta, float *normalized, float *reciprocal, float *y);

/// Its backward pass: adds Σ_rows dy ⊙ x̂ to `gamma_gradient` and Σ_rows dy to `beta_gradient`;
/// when `dx` is not NULL writes dx = add + r (g − mean(g) − x̂ mean(g ⊙ x̂)), g = dy ⊙ γ, with
/// `add` NULL meaning 0 (`add` may be `dx`: accumulate).
void descent_layer_norm_backward(const float *dy, const float *normalized, const float *reciprocal,
                                 size_t rows, size_t d, const float *gamma, float *gamma_gradient,
                                 float *beta_gradient, const float *add, float *dx);

/// Self-attention of `samples` sequences of `length` positions: `qkv` holds each position's
/// [Q K V] (3 · width values), `heads` heads of width/heads. Writes the weights
/// A = softmax(scale · Q Kᵀ) per sample and head ((samples, heads, length, length), masked
/// entries 0 when `causal`) and the context O = A V ((samples · length, width)). `scratch` holds
/// `descent_attention_scratch_count(length, width, heads)` floats (a head's keys transposed, so
/// a row of scores is eight keys at a time with no horizontal sums).
void descent_attention_forward(const float *qkv, size_t samples, size_t length, size_t width,
                               size_t heads, int causal, float scale, float *weights, float *context,
                               float *scratch);

/// Its backward pass from dO: writes d[Q K V] into `qkv_gradient` (same layout as `qkv`);
/// `scratch` as for the forward pass.
void descent_attention_backward(const float *qkv, const float *weights, const float *context_gradient,
                                size_t samples, size_t length, size_t width, size_t heads, int causal,
                                float scale, float *qkv_gradient, float *scratch);

/// The floats of scratch space the attention kernels need.
size_t descent_attention_scratch_count(size_t length, size_t width, size_t heads);

/// out[j] += Σ_r x[r · columns + j] over `rows` contiguous rows (a bias's gradient), each
/// column's sum taken in row order.
void descent_add_column_sums(const float *x, size_t rows, size_t columns, float *out);

/// y = `row` repeated in each of `rows` rows of `columns` values (a bias, before a product is
/// added to it).
void descent_repeat_row(const float *row, size_t rows, size_t columns, float *y);

/// Each kernel above with one build forced: `wide` 1 for AVX2 (only where `descent_has_avx2()`),
/// 0 for baseline. For the tests that both builds agree bit for bit.
void descent_gelu_variant(int wide, const float *z, float *y, float *cdf, size_t count);
void descent_gelu_backward_variant(int wide, const float *z, const float *cdf, const float *dy, float *dz,
                                   size_t count);
void descent_add_column_sums_variant(int wide, const float *x, size_t rows, size_t columns, float *out);
void descent_repeat_row_variant(int wide, const float *row, size_t rows, size_t columns, float *y);
void descent_exp_variant(int wide, const float *x, float *y, size_t count);
void descent_erf_variant(int wide, const float *x, float *y, size_t count);
void descent_layer_norm_variant(int wide, const float *x, size_t rows, size_t d, float epsilon,
                                const float *gamma, const float *beta, float *normalized,
                                float *reciprocal, float *y);
void descent_layer_norm_backward_variant(int wide, const float *dy, const float *normalized,
                                         const float *reciprocal, size_t rows, size_t d,
                                         const float *gamma, float *gamma_gradient,
                                         float *beta_gradient, const float *add, float *dx);
void descent_attention_forward_variant(int wide, const float *qkv, size_t samples, size_t length,
                                       size_t width, size_t heads, int causal, float scale,
                                       float *weights, float *context, float *scratch);
void descent_attention_backward_variant(int wide, const float *qkv, const float *weights,
                                        const float *context_gradient, size_t samples, size_t length,
                                        size_t width, size_t heads, int causal, float scale,
                                        float *qkv_gradient, float *scratch);

/// 1 when this CPU runs AVX2 (x86-64 only; 0 elsewhere).
int descent_has_avx2(void);

/// OpenBLAS chooses its kernel by the CPU's model when it loads, and Debian's 0.3.21 falls back
/// to `Prescott` (SSE3) for models newer than it knows (Intel family 6 model 207 here, an
/// AVX-512 CPU: gpt-nano's streams ran at 9,300 tokens/s on it, 20,400 with `SkylakeX`). Where
/// it did, and `OPENBLAS_CORETYPE` is not set, this chooses again by the instruction sets the
/// CPU and OS offer (AVX-512 → `SkylakeX`, AVX2 and FMA → `Haswell`, AVX → `SandyBridge`;
/// the next of them where this build lacks one)
/// through OpenBLAS's own `gotoblas_dynamic_init`, as the variable would have. Call it before
/// any product. Returns 1 when it switched; 0 when it left OpenBLAS's choice alone (a known
/// model, the variable set, a build without run-time choice, no better kernel).
int descent_blas_choose_kernel(void);

/// OpenBLAS's name for the kernel it runs ("SkylakeX", "Haswell", "Prescott"…).
const char *descent_blas_kernel(void);

/// The CPUs this process may run on (its main thread's affinity mask, as `taskset` sets it), at least 1.
int descent_available_cpus(void);

/// Keeps the calling thread on the `index`-th CPU (from 0) of the process's and returns that
/// CPU's number; with `index` −1, lets it run on all of the process's CPUs again and returns 0.
/// −1 when there are not that many CPUs or the system refused (the thread is left as it was).
int descent_keep_on_cpu(int index);

/// Names the calling thread as `top -H`, `perf` and gdb show it (its first 15 bytes).
void descent_name_thread(const char *name);

/// The CPUs the calling thread may run on (its own affinity mask) among CPUs 0–63, a bit each.
unsigned long long descent_thread_cpu_mask(void);

#ifdef __cplusplus
}
#endif
#endif
