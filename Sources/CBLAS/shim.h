// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, pthread flavour).
#include <cblas.h>

// Vector square root for TensorCore's SIMD kernels. Swift's `Float.squareRoot()` keeps C's
// errno path (a `sqrtss`, a compare and a `sqrtf` call per lane), which blocks vectorisation;
// `__builtin_elementwise_sqrt` is LLVM's plain `llvm.sqrt` on all lanes (`sqrtps` on x86-64).
// The vector type imports into Swift as SIMD8<Float>. Results equal `sqrtf` (IEEE-exact).
typedef float descent_float8 __attribute__((ext_vector_type(8)));

static inline descent_float8 descent_sqrt8(descent_float8 x) {
    return __builtin_elementwise_sqrt(x);
}
