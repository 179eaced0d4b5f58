// Eight-lane float vectors and the two-build dispatch shared by the kernels in this folder
// (CKernels.h says why there are two builds). Not part of the public header.
#ifndef DESCENT_LANES_H
#define DESCENT_LANES_H

#include <stddef.h>
#include "CKernels.h"

typedef float f8 __attribute__((ext_vector_type(8)));
typedef int i8 __attribute__((ext_vector_type(8)));
typedef unsigned u8 __attribute__((ext_vector_type(8)));
typedef double d8 __attribute__((ext_vector_type(8)));

#pragma clang fp contract(off)   // no fused multiply-add: both builds round the same way

#define LANES 8

/// Every helper taking or returning vectors is inlined, so both builds compile it in their own
/// registers (a call would pass eight-lane vectors under one ABI for both).
#define INLINE static inline __attribute__((always_inline))
// So clang's warning that a call passing eight-lane vectors outside AVX changes the ABI
// describes no real call here.
#pragma clang diagnostic ignored "-Wpsabi"

INLINE f8 load8(const float *p) { f8 x; __builtin_memcpy(&x, p, sizeof x); return x; }
INLINE void store8(float *p, f8 x) { __builtin_memcpy(p, &x, sizeof x); }

/// The first `n` (< 8) values at p, the other lanes 0.
INLINE f8 load_part(const float *p, size_t n) {
    f8 x = 0;
    for (size_t k = 0; k < n; k++) x[k] = p[k];
    return x;
}

INLINE void store_part(float *p, f8 x, size_t n) {
    for (size_t k = 0; k < n; k++) p[k] = x[k];
}

/// The first `n` (≤ 8) values at p, as `load8` when n is 8 (`load_part` otherwise).
INLINE f8 load_n(const float *p, size_t n) { return n == LANES ? load8(p) : load_part(p, n); }

INLINE void store_n(float *p, f8 x, size_t n) {
    if (n == LANES) store8(p, x); else store_part(p, x, n);
}

/// The eight lanes added as a tree: halves, then quarters, then pairs ((x0 + x4) + (x2 + x6)) +
/// ((x1 + x5) + (x3 + x7)). Three dependent additions instead of seven; both builds add in
/// this same order.
INLINE float lane_sum(f8 x) {
    f8 a = x + __builtin_shufflevector(x, x, 4, 5, 6, 7, 0, 1, 2, 3);
    f8 b = a + __builtin_shufflevector(a, a, 2, 3, 0, 1, 6, 7, 4, 5);
    f8 c = b + __builtin_shufflevector(b, b, 1, 0, 3, 2, 5, 4, 7, 6);
    return c[0];
}

#if defined(__x86_64__)
#define TARGET_WIDE __attribute__((target("avx2")))
#else
#define TARGET_WIDE
#endif

#define WITH_WIDE(...) (int wide, __VA_ARGS__)

/// Defines, from a static always-inline `name##_body` of the given parameters, the public
/// `descent_##name` (the widest build this CPU runs) and `descent_##name##_variant(wide, …)`
/// (one build forced, for the tests that both agree bit for bit). `params` and `args` are
/// parenthesised lists.
#define TWO_BUILDS(name, params, args)                                                    \
    static void name##_baseline params { name##_body args; }                            \
    TARGET_WIDE static void name##_wide params { name##_body args; }                    \
    void descent_##name##_variant WITH_WIDE params {                                    \
        if (wide && descent_has_avx2()) name##_wide args; else name##_baseline args;      \
    }                                                                                   \
    void descent_##name params {                                                        \
        if (descent_has_avx2()) name##_wide args; else name##_baseline args;              \
    }

#endif
