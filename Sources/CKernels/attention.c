// Scaled dot-product self-attention over every sample and head (CKernels.h; the formulas are
// in NeuralEngine's `MultiHeadSelfAttention`). Q, K and V are strided views of one buffer.
#include "lane_math.h"
#include <math.h>

/// Softmax of row[0..<visible] in place; row[visible..<length] become 0.
INLINE void softmax_row(float *row, size_t visible, size_t length) {
    float m = -INFINITY;
    for (size_t s = 0; s < visible; s++) m = row[s] > m ? row[s] : m;
    size_t s = 0;
    for (; s + LANES <= visible; s += LANES) store8(row + s, exp8(load8(row + s) - m));
    if (s < visible) store_part(row + s, exp8(load_part(row + s, visible - s) - m), visible - s);
    float sum = 0;
    for (s = 0; s < visible; s++) sum += row[s];
    const float inverse = 1.0f / sum;
    for (s = 0; s < visible; s++) row[s] *= inverse;
    for (s = visible; s < length; s++) row[s] = 0;
}

/// Rows of `count` values rounded up to whole lane groups: the transposed keys and values
/// are padded with zeros to this many columns.
INLINE size_t padded(size_t count) { return (count + LANES - 1) / LANES * LANES; }

size_t descent_attention_scratch_count(size_t length, size_t width, size_t heads) {
    const size_t e = width / heads, Tp = padded(length);
    return e * Tp + length * Tp;   // a head's Kᵀ or Vᵀ, and its dS in the backward pass
}

/// xᵀ of one head: the `length` rows of `e` values `stride` apart become `e` rows of
/// `padded(length)` values (zeros after `length`).
INLINE void transpose_head(const float *x, size_t stride, size_t length, size_t e, float *xt) {
    const size_t Tp = padded(length);
    for (size_t s = 0; s < length; s++) {   // rows read in order, columns written
        const float *row = x + s * stride;
        for (size_t j = 0; j < e; j++) xt[j * Tp + s] = row[j];
    }
    for (size_t j = 0; j < e; j++) {
        for (size_t s = length; s < Tp; s++) xt[j * Tp + s] = 0;
    }
}

/// out[s] = scale · Σ_j x[j] yt[j][s] for s < count: a row of scores (x a query, yt the keys
/// transposed) eight keys at a time with no horizontal sums. The sum over j is split into even
/// and odd j, added at the end, so two additions are in flight instead of one chain (without
/// fused multiply-adds each addition waits for the one before).
INLINE void row_times_transposed(const float *x, const float *yt, size_t e, size_t Tp, size_t count,
                                 float scale, float *out) {
    for (size_t s = 0; s < count; s += LANES) {
        f8 even = 0, odd = 0;
        size_t j = 0;
        for (; j + 2 <= e; j += 2) {
            even += x[j] * load8(yt + j * Tp + s);
            odd += x[j + 1] * load8(yt + (j + 1) * Tp + s);
        }
        if (j < e) even += x[j] * load8(yt + j * Tp + s);
        store_n(out + s, (even + odd) * scale, count - s < LANES ? count - s : LANES);
    }
}

/// out[c] = Σ_{s ∈ [first, last)} w[s · w_stride] y[s · stride + c] for the e values of a head
/// row, eight columns at a time in registers; even and odd s in separate sums added at the end
/// (as above).
INLINE void weighted_rows(const float *w, size_t w_stride, const float *y, size_t stride,
                          size_t first, size_t last, size_t e, float *out) {
    for (size_t c = 0; c < e; c += LANES) {
        const size_t n = e - c < LANES ? e - c : LANES;
        f8 even = 0, odd = 0;
        size_t s = first;
        for (; s + 2 <= last; s += 2) {
            even += w[s * w_stride] * load_n(y + s * stride + c, n);
            odd += w[(s + 1) * w_stride] * load_n(y + (s + 1) * stride + c, n);
        }
        if (s < last) even += w[s * w_stride] * load_n(y + s * stride + c, n);
        store_n(out + c, even + odd, n);
    }
}

INLINE void attention_forward_body(const float *qkv, size_t samples, size_t length, size_t width,
                                   size_t heads, int causal, float scale, float *weights,
                                   float *context, float *scratch) {
    const size_t T = length, d = width, e = width / heads, stride = 3 * width, Tp = padded(T);
    float *kt = scratch;
    for (size_t i = 0; i < samples; i++) {
        for (size_t head = 0; head < heads; head++) {
            const float *q = qkv + i * T * stride + head * e, *k = q + d, *v = q + 2 * d;
            float *a = weights + (i * heads + head) * T * T;
            transpose_head(k, stride, T, e, kt);
            for (size_t t = 0; t < T; t++) {
                const size_t visible = causal ? t + 1 : T;
                float *row = a + t * T;
                row_times_transposed(q + t * stride, kt, e, Tp, visible, scale, row);   // S = Q Kᵀ / √e
                softmax_row(row, visible, T);
                weighted_rows(row, 1, v, stride, 0, visible, e, context + (i * T + t) * d + head * e);   // O = A V
            }
        }
    }
}
TWO_BUILDS(attention_forward,
           (const float *qkv, size_t samples, size_t length, size_t width, size_t heads, int causal,
            float scale, float *weights, float *context, float *scratch),
           (qkv, samples, length, width, heads, causal, scale, weights, context, scratch))

INLINE void attention_backward_body(const float *qkv, const float *weights,
                                    const float *context_gradient, size_t samples, size_t length,
                                    size_t width, size_t heads, int causal, float scale,
                                    float *qkv_gradient, float *scratch) {
    const size_t T = length, d = width, e = width / heads, stride = 3 * width, Tp = padded(T);
    float *vt = scratch, *ds = scratch + e * Tp;   // Vᵀ (e × Tp) and dS (T × Tp)
    for (size_t i = 0; i < samples; i++) {
        for (size_t head = 0; head < heads; head++) {
            const float *q = qkv + i * T * stride + head * e, *k = q + d, *v = q + 2 * d;
            float *dq = qkv_gradient + i * T * stride + head * e, *dk = dq + d, *dv = dq + 2 * d;
            const float *a = weights + (i * heads + head) * T * T;
            const float *dO = context_gradient + i * T * d + head * e;
            transpose_head(v, stride, T, e, vt);
            for (size_t t = 0; t < T; t++) {
                const size_t visible = causal ? t + 1 : T;
                const float *row = a + t * T;
                float *dst = ds + t * Tp;
                // dA = dO Vᵀ;  dS = A ⊙ (dA − rowsum(dA ⊙ A)) · scale;  masked entries 0
                row_times_transposed(dO + t * d, vt, e, Tp, visible, 1.0f, dst);
                float total = 0;
                for (size_t s = 0; s < visible; s++) total += dst[s] * row[s];
                for (size_t s = 0; s < visible; s++) dst[s] = row[s] * (dst[s] - total) * scale;
                for (size_t s = visible; s < T; s++) dst[s] = 0;
            }
            for (size_t t = 0; t < T; t++) {
                const size_t visible = causal ? t + 1 : T;
                weighted_rows(ds + t * Tp, 1, k, stride, 0, visible, e, dq + t * stride);     // dQ = dS K
            }
            for (size_t s = 0; s < T; s++) {
                const size_t first = causal ? s : 0;   // the queries that saw key s
                weighted_rows(ds + s, Tp, q, stride, first, T, e, dk + s * stride);           // dK = dSᵀ Q
                weighted_rows(a + s, T, dO, d, first, T, e, dv + s * stride);                 // dV = Aᵀ dO
            }
        }
    }
}
TWO_BUILDS(attention_backward,
           (const float *qkv, const float *weights, const float *context_gradient, size_t samples,
            size_t length, size_t width, size_t heads, int causal, float scale, float *qkv_gradient,
            float *scratch),
           (qkv, weights, context_gradient, samples, length, width, heads, causal, scale, qkv_gradient,
            scratch))
