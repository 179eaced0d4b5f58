#ifndef CSANDBOX_H
#define CSANDBOX_H

/// Landlock (Linux ≥ 5.13): the kernel confining this process's file access, for a learner's
/// workbench in a class (README, Classroom). Written against the kernel's ABI by number, so it
/// builds whatever the installed headers know.

/// The highest Landlock ABI the kernel supports, or a negative errno (ENOSYS: no Landlock;
/// EOPNOTSUPP: built in but disabled).
int descent_landlock_abi(void);

/// From now on, this thread and the threads and processes it starts may only touch files under
/// `writable` (everything) and `readable` (read files and folders, execute); everything else is
/// refused by the kernel with EACCES. Returns 0, or a negative errno (nothing restricted then).
int descent_landlock_restrict(const char *const *writable, int writable_count,
                              const char *const *readable, int readable_count);

#endif
