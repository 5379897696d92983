/* tests/unit/as_owner.h: let a test that is run by root meet file
 * permissions as their owner would.
 *
 * Root passes every permission check (CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH), so "a read-only file is refused" could not be
 * tested in a clone that root builds; such tests used to skip. Taking those
 * two capabilities out of the effective set makes root's own 0400 file
 * read-only and its 0000 file unreadable, as for any user, while uid 0 still
 * owns the test's private directories. They stay permitted, so the test
 * gives them back in its teardown. Not root: nothing to do. */
#ifndef IMAS_TESTS_AS_OWNER_H
#define IMAS_TESTS_AS_OWNER_H

#include <linux/capability.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline bool as_owner_caps(bool on)
{
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) != 0)
        return false;
    unsigned bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
    if (on)
        d[0].effective |= bits & d[0].permitted;
    else
        d[0].effective &= ~bits;
    return syscall(SYS_capset, &h, d) == 0;
}

/* Before the test: root obeys permissions from now on. False when that
 * could not be done (the caller then skips). */
static inline bool as_owner_begin(void)
{
    return geteuid() != 0 || as_owner_caps(false);
}

/* cmocka teardown: root's override back, whatever the test did. */
static inline int as_owner_end(void **state)
{
    (void)state;
    if (geteuid() == 0)
        as_owner_caps(true);
    return 0;
}

#endif
