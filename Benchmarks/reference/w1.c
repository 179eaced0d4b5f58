/* W1 ceiling reference: a plain C trainer calling OpenBLAS directly.
 *
 * MLP 784-256-128-10, ReLU, softmax cross-entropy, Adam (lr 0.001, b1 0.9, b2 0.999,
 * eps 1e-7), batch 128, 60,000 uniform-random samples with random labels, shuffled each epoch.
 * Same products as Descent's Dense layers (row-major, transposes passed to sgemm). One warm-up
 * epoch, then REPS timed epochs; prints the median as `bench W1_c samples_per_s=...`.
 * Subnormals are flushed to zero (MXCSR FTZ+DAZ): Adam's first moment of a weight behind a dead
 * ReLU decays into the subnormal range, and each subnormal operation costs a microcode assist
 * (this trainer ran 1.5x slower without the flush).
 *
 * Build: cc -O3 -fno-math-errno -o w1 w1.c -lopenblas -lm (gcc 12 vectorises Adam only at -O3;
 * -fno-math-errno turns sqrtf into sqrtps)      Run: ./w1 [threads=1] [reps=5]
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __SSE__
#include <xmmintrin.h>
#endif

enum { N = 60000, D = 784, H1 = 256, H2 = 128, K = 10, B = 128, L = 3 };
static const int IN[L] = {D, H1, H2}, OUT[L] = {H1, H2, K};

static unsigned long long rng_state = 61;
static unsigned long long next_u64(void) {        /* SplitMix64 */
    unsigned long long z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static float uniform(void) { return (float)(next_u64() >> 40) * (1.0f / 16777216.0f); }

static float *W[L], *Bi[L], *GW[L], *GB[L], *M[2 * L], *V[2 * L];
static float *act[L + 1], *grad[L + 1];
static float beta1p = 1, beta2p = 1;

static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void adam(float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                 int n) {
    const float lr = 0.001f, b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
    const float c1 = 1 / (1 - beta1p), c2 = 1 / (1 - beta2p);
    for (int i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= lr * (m[i] * c1 / (sqrtf(v[i] * c2) + eps));
    }
}

static float step(const float *x, const float *y, int n) {
    act[0] = (float *)x;
    for (int l = 0; l < L; l++) {               /* z = x W + b, relu except last */
        float *z = act[l + 1];
        for (int r = 0; r < n; r++) memcpy(z + r * OUT[l], Bi[l], OUT[l] * sizeof(float));
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, OUT[l], IN[l], 1, act[l], IN[l],
                    W[l], OUT[l], 1, z, OUT[l]);
        if (l < L - 1) for (int i = 0; i < n * OUT[l]; i++) z[i] = z[i] > 0 ? z[i] : 0;
    }
    float loss = 0, *z = act[L], *g = grad[L];
    for (int r = 0; r < n; r++) {               /* softmax CE from logits */
        float mx = z[r * K], s = 0;
        for (int j = 1; j < K; j++) mx = fmaxf(mx, z[r * K + j]);
        for (int j = 0; j < K; j++) s += expf(z[r * K + j] - mx);
        float lse = mx + logf(s);
        int t = (int)y[r];
        loss += lse - z[r * K + t];
        for (int j = 0; j < K; j++) g[r * K + j] = (expf(z[r * K + j] - lse) - (j == t)) / n;
    }
    for (int l = L - 1; l >= 0; l--) {
        float *dz = grad[l + 1];
        if (l < L - 1) for (int i = 0; i < n * OUT[l]; i++) if (act[l + 1][i] <= 0) dz[i] = 0;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, IN[l], OUT[l], n, 1, act[l], IN[l],
                    dz, OUT[l], 0, GW[l], OUT[l]);
        memset(GB[l], 0, OUT[l] * sizeof(float));
        for (int r = 0; r < n; r++) for (int j = 0; j < OUT[l]; j++) GB[l][j] += dz[r * OUT[l] + j];
        if (l > 0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, IN[l], OUT[l], 1, dz, OUT[l],
                        W[l], OUT[l], 0, grad[l], IN[l]);
    }
    beta1p *= 0.9f; beta2p *= 0.999f;
    for (int l = 0; l < L; l++) {
        adam(W[l], GW[l], M[2 * l], V[2 * l], IN[l] * OUT[l]);
        adam(Bi[l], GB[l], M[2 * l + 1], V[2 * l + 1], OUT[l]);
    }
    return loss / n;
}

static int cmp(const void *a, const void *b) {
    double d = *(const double *)a - *(const double *)b;
    return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1, reps = argc > 2 ? atoi(argv[2]) : 5;
    openblas_set_num_threads(threads);
#ifdef __SSE__
    _mm_setcsr(_mm_getcsr() | 0x8040);   /* flush-to-zero + denormals-are-zero, as XLA does */
#endif
    float *x = malloc(sizeof(float) * N * D), *y = malloc(sizeof(float) * N);
    for (long i = 0; i < (long)N * D; i++) x[i] = uniform();
    for (int i = 0; i < N; i++) y[i] = (float)(next_u64() % K);
    for (int l = 0; l < L; l++) {
        int n = IN[l] * OUT[l];
        float lim = sqrtf(6.0f / IN[l]);
        W[l] = malloc(sizeof(float) * n); GW[l] = malloc(sizeof(float) * n);
        Bi[l] = calloc(OUT[l], sizeof(float)); GB[l] = calloc(OUT[l], sizeof(float));
        M[2 * l] = calloc(n, sizeof(float)); V[2 * l] = calloc(n, sizeof(float));
        M[2 * l + 1] = calloc(OUT[l], sizeof(float)); V[2 * l + 1] = calloc(OUT[l], sizeof(float));
        for (int i = 0; i < n; i++) W[l][i] = -lim + 2 * lim * uniform();
        act[l + 1] = malloc(sizeof(float) * B * OUT[l]);
        grad[l + 1] = malloc(sizeof(float) * B * OUT[l]);
    }
    grad[0] = malloc(sizeof(float) * B * D);
    float *bx = malloc(sizeof(float) * B * D), *by = malloc(sizeof(float) * B);
    int *order = malloc(sizeof(int) * N);
    for (int i = 0; i < N; i++) order[i] = i;
    double *rates = malloc(sizeof(double) * (reps + 1));
    float loss = 0;
    for (int e = 0; e <= reps; e++) {
        for (int i = N - 1; i > 0; i--) {       /* Fisher-Yates shuffle */
            int j = (int)(next_u64() % (unsigned long long)(i + 1)), t = order[i];
            order[i] = order[j]; order[j] = t;
        }
        double t0 = now();
        for (int s = 0; s < N; s += B) {
            int n = N - s < B ? N - s : B;
            for (int r = 0; r < n; r++) {
                memcpy(bx + r * D, x + (long)order[s + r] * D, D * sizeof(float));
                by[r] = y[order[s + r]];
            }
            loss = step(bx, by, n);
        }
        rates[e] = N / (now() - t0);
    }
    qsort(rates + 1, reps, sizeof(double), cmp);
    double med = reps % 2 ? rates[1 + reps / 2] : (rates[reps / 2] + rates[1 + reps / 2]) / 2;
    double flops = 2.0 * 2 * (D * H1 + H1 * H2 + H2 * K) + 2.0 * (H1 * H2 + H2 * K);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256]; long hwm = 0;
    while (f && fgets(line, sizeof line, f)) if (!strncmp(line, "VmHWM:", 6)) hwm = atol(line + 6);
    if (f) fclose(f);
    printf("W1 C+OpenBLAS: %d threads, last loss %.4f, min %.0f max %.0f samples/s\n", threads,
           loss, rates[1], rates[reps]);
    printf("bench W1_c samples_per_s=%.0f gflops=%.1f peak_rss_mb=%ld params=%d threads=%d\n", med,
           med * flops / 1e9, hwm / 1024, D * H1 + H1 + H1 * H2 + H2 + H2 * K + K, threads);
    return 0;
}
