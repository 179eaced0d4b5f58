// OpenBLAS's kernel, chosen again where its own choice fell back to the baseline (CKernels.h).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "CKernels.h"

typedef char *(*corename_fn)(void);
typedef void (*init_fn)(void);

const char *descent_blas_kernel(void) {
    corename_fn corename = (corename_fn)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    return corename ? corename() : "unknown";
}

/// The kernels this CPU's instruction sets (as the OS saves them) run, best first, by
/// OpenBLAS's names; NULL-terminated, empty where the baseline is all there is.
static const char *const *kernels_for_this_cpu(void) {
    static const char *const avx512[] = {"SkylakeX", "Haswell", "SandyBridge", NULL};
    static const char *const avx2[] = {"Haswell", "SandyBridge", NULL};
    static const char *const avx[] = {"SandyBridge", NULL};
    static const char *const none[] = {NULL};
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
        return avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2;
    if (__builtin_cpu_supports("avx")) return avx;
#endif
    return none;
}

int descent_blas_choose_kernel(void) {
    if (getenv("OPENBLAS_CORETYPE")) return 0;   // the machine's (or a test's) choice stands
    corename_fn corename = (corename_fn)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    init_fn init = (init_fn)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    init_fn quit = (init_fn)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    if (!corename || !init || !quit) return 0;   // not a build that chooses at run time
    if (strcasecmp(corename(), "Prescott") != 0) return 0;
    // The best kernel this build has (a build may leave some out: OpenBLAS then falls back to
    // Prescott again, and the next is tried).
    for (const char *const *wanted = kernels_for_this_cpu(); *wanted; wanted++) {
        setenv("OPENBLAS_CORETYPE", *wanted, 1);
        quit();
        init();
        unsetenv("OPENBLAS_CORETYPE");
        if (strcasecmp(corename(), *wanted) == 0) return 1;
    }
    return 0;
}
