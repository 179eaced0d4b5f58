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

/// The kernel this CPU's instruction sets (as the OS saves them) run best, by OpenBLAS's name
/// for it; NULL where the baseline is all there is.
static const char *kernel_for_this_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    if (__builtin_cpu_supports("avx")) return "SandyBridge";
#endif
    return NULL;
}

int descent_blas_choose_kernel(void) {
    if (getenv("OPENBLAS_CORETYPE")) return 0;   // the machine's (or a test's) choice stands
    corename_fn corename = (corename_fn)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    init_fn init = (init_fn)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    init_fn quit = (init_fn)dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    if (!corename || !init || !quit) return 0;   // not a build that chooses at run time
    if (strcasecmp(corename(), "Prescott") != 0) return 0;
    const char *wanted = kernel_for_this_cpu();
    if (!wanted) return 0;
    setenv("OPENBLAS_CORETYPE", wanted, 1);
    quit();
    init();
    unsetenv("OPENBLAS_CORETYPE");
    return strcasecmp(corename(), wanted) == 0;
}
