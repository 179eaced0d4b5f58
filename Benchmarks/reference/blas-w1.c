/* W1's matrix products through one CBLAS library: the BLAS comparison of issue 23.
 *
 * One update of W1 (MLP 784-256-128-10, batch 128) makes eight single-precision products, as
 * Descent's Dense layers make them (row-major, transposes passed to sgemm, never materialised):
 *   forward          X·W for each layer                     128×784·784×256, 128×256·256×128, 128×128·128×10
 *   weight gradient  Xᵀ·dZ for each layer                   784×128·128×256, 256×128·128×128, 128×128·128×10
 *   input gradient   dZ·Wᵀ for layers 2 and 3               128×128·128×256, 128×10·10×128
 * 1,007,104 FLOP a sample, as Sources/BenchmarkSuite/Workload+Catalog.swift counts them. The
 * operands are uniform random; each round times UPDATES updates; the median of ROUNDS rounds is
 * printed as `bench blas-w1 library=NAME gflops=... updates_per_s=...`.
 *
 * Build (Benchmarks/blas-compare.sh does it, once per library):
 *   cc -O2 -DLIBRARY='"openblas"' -DOPENBLAS -o blas-openblas blas-w1.c -lopenblas
 *   cc -O2 -DLIBRARY='"blis"' -o blas-blis blas-w1.c /usr/lib/x86_64-linux-gnu/blis-serial/libblis.so.4
 * Run: ./blas-NAME [rounds=5] [updates=400]   (one thread: OpenBLAS is told so; the others are serial builds)
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef OPENBLAS
void openblas_set_num_threads(int);
#endif

#ifndef LIBRARY
#define LIBRARY "unknown"
#endif

enum { B = 128, D = 784, H1 = 256, H2 = 128, K = 10 };

static float *matrix(size_t n) {
    float *m = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) m[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    return m;
}

/* C (m×n) = op(A) · op(B), row-major. */
static void gemm(int ta, int tb, int m, int n, int k, const float *a, const float *b, float *c) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 5, updates = argc > 2 ? atoi(argv[2]) : 400;
#ifdef OPENBLAS
    openblas_set_num_threads(1);
#endif
    srand(61);
    float *x = matrix(B * D), *w1 = matrix(D * H1), *w2 = matrix(H1 * H2), *w3 = matrix(H2 * K);
    float *a1 = matrix(B * H1), *a2 = matrix(B * H2), *a3 = matrix(B * K);
    float *dz1 = matrix(B * H1), *dz2 = matrix(B * H2), *dz3 = matrix(B * K);
    float *g1 = matrix(D * H1), *g2 = matrix(H1 * H2), *g3 = matrix(H2 * K);
    float *dx2 = matrix(B * H1), *dx3 = matrix(B * H2);
    double flops = 2.0 * B * ((double)D * H1 + H1 * H2 + H2 * K) * 2 + 2.0 * B * ((double)H1 * H2 + H2 * K);
    double *seconds = malloc(sizeof(double) * (rounds + 1));
    for (int r = 0; r <= rounds; r++) {   /* round 0: warm-up */
        double start = now();
        for (int u = 0; u < updates; u++) {
            gemm(0, 0, B, H1, D, x, w1, a1);
            gemm(0, 0, B, H2, H1, a1, w2, a2);
            gemm(0, 0, B, K, H2, a2, w3, a3);
            gemm(1, 0, H2, K, B, a2, dz3, g3);
            gemm(0, 1, B, H2, K, dz3, w3, dx3);
            gemm(1, 0, H1, H2, B, a1, dz2, g2);
            gemm(0, 1, B, H1, H2, dz2, w2, dx2);
            gemm(1, 0, D, H1, B, x, dz1, g1);
        }
        seconds[r] = now() - start;
    }
    qsort(seconds + 1, rounds, sizeof(double), compare);
    double median = seconds[1 + rounds / 2];
    printf("bench blas-w1 library=%s gflops=%.1f updates_per_s=%.0f samples_per_s=%.0f\n", LIBRARY,
           flops * updates / median / 1e9, updates / median, updates * B / median);
    return 0;
}
