#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's ABI (include/uapi/linux/landlock.h), by number. */
#define DESCENT_SYS_landlock_create_ruleset 444
#define DESCENT_SYS_landlock_add_rule 445
#define DESCENT_SYS_landlock_restrict_self 446
#define DESCENT_CREATE_RULESET_VERSION (1U << 0)
#define DESCENT_RULE_PATH_BENEATH 1

#define FS_EXECUTE (1ULL << 0)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_ABI1_ALL ((1ULL << 13) - 1) /* EXECUTE … MAKE_SYM */
#define FS_REFER (1ULL << 13)          /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)       /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15)      /* ABI 5 */

struct descent_ruleset_attr {
    uint64_t handled_access_fs;
};

struct descent_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

int descent_landlock_abi(void) {
    long abi = syscall(DESCENT_SYS_landlock_create_ruleset, NULL, 0, DESCENT_CREATE_RULESET_VERSION);
    return abi < 0 ? -errno : (int)abi;
}

static int add_rule(int ruleset, const char *path, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -errno; /* a folder this machine lacks (/lib64) */
    struct descent_path_beneath_attr rule = {.allowed_access = access, .parent_fd = fd};
    long r = syscall(DESCENT_SYS_landlock_add_rule, ruleset, DESCENT_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    return r < 0 ? -saved : 0;
}

int descent_landlock_restrict(const char *const *writable, int writable_count,
                              const char *const *readable, int readable_count) {
    int abi = descent_landlock_abi();
    if (abi < 1) return abi < 0 ? abi : -ENOSYS;
    uint64_t all = FS_ABI1_ALL;
    if (abi >= 2) all |= FS_REFER;
    if (abi >= 3) all |= FS_TRUNCATE;
    if (abi >= 5) all |= FS_IOCTL_DEV;
    struct descent_ruleset_attr attr = {.handled_access_fs = all};
    int ruleset = (int)syscall(DESCENT_SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) return -errno;
    int result = 0;
    for (int i = 0; i < writable_count && result == 0; i++) result = add_rule(ruleset, writable[i], all);
    /* Read-only: files and folders are read, programs run; a regular file gets no folder right. */
    for (int i = 0; i < readable_count && result == 0; i++) {
        result = add_rule(ruleset, readable[i], FS_EXECUTE | FS_READ_FILE | FS_READ_DIR);
        if (result == -EINVAL) result = add_rule(ruleset, readable[i], FS_EXECUTE | FS_READ_FILE);
    }
    if (result == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) result = -errno;
    if (result == 0 && syscall(DESCENT_SYS_landlock_restrict_self, ruleset, 0) != 0) result = -errno;
    close(ruleset);
    return result;
}
