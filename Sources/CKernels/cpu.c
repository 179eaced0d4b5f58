// What the CPU offers this process (see CKernels.h).
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include "CKernels.h"

int descent_available_cpus(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(getpid(), sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        return n > 0 ? n : 1;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int descent_keep_on_cpu(int index) {
#if defined(__linux__)
    // The process's CPUs are its main thread's (whose id is the process's): this thread's own
    // mask is one CPU once it was kept on one.
    cpu_set_t set;
    if (sched_getaffinity(getpid(), sizeof set, &set) != 0) return -1;
    if (index < 0) return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -1;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &set)) continue;
        if (seen++ < index) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return sched_setaffinity(0, sizeof one, &one) == 0 ? cpu : -1;
    }
#endif
    (void)index;
    return -1;
}

unsigned long long descent_thread_cpu_mask(void) {
    unsigned long long mask = 0;
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    for (int cpu = 0; cpu < 64 && cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &set)) mask |= 1ULL << cpu;
#endif
    return mask;
}

void descent_name_thread(const char *name) {
    char cut[16];
    strncpy(cut, name, sizeof cut - 1);
    cut[sizeof cut - 1] = 0;
    pthread_setname_np(pthread_self(), cut);
}
